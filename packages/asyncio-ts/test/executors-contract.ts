/**
 * The behaviour both pools share (API.md "Executors"), as one suite run against
 * ThreadPoolExecutor and ProcessPoolExecutor. Real workers, short waits only.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  BrokenExecutorError,
  CancelledError,
  createTask,
  moduleFunction,
  type PoolExecutor,
  RuntimeError,
  run,
  sleep,
  TimeoutError,
  waitFor,
} from "../src/index.js";

const WORK = new URL("./fixtures/executors/work.js", import.meta.url);

/** Polls `check` every 10 ms until it holds (at most `seconds`). */
export async function eventually(check: () => boolean, seconds = 5): Promise<void> {
  for (let waited = 0; !check(); waited += 0.01) {
    if (waited > seconds) assert.fail("condition not reached in time");
    await sleep(0.01);
  }
}

/** Runs `body` with a fresh pool inside `run()`, and shuts the pool down afterwards. */
export function withPool(
  make: (maxWorkers: number) => PoolExecutor,
  maxWorkers: number,
  body: (pool: PoolExecutor) => Promise<void>,
): Promise<void> {
  return run(async () => {
    const pool = make(maxWorkers);
    try {
      await body(pool);
    } finally {
      await pool.shutdown({ cancelFutures: true });
    }
  });
}

export function poolContract(name: string, make: (maxWorkers: number) => PoolExecutor): void {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-executors-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe(`${name}: calls`, () => {
    test("submit runs the function on a worker; arguments and results are structured-cloned", async () => {
      await withPool(make, 2, async (pool) => {
        const result = await pool.submit(
          (m: Map<string, Date>, bytes: Uint8Array) => ({
            size: m.size,
            year: m.get("d")!.getUTCFullYear(),
            sum: bytes.reduce((s, x) => s + x, 0),
          }),
          new Map([["d", new Date(Date.UTC(2020, 0, 1))]]),
          new Uint8Array([1, 2, 3]),
        );
        assert.deepEqual(result, { size: 1, year: 2020, sum: 6 });
      });
    });

    test("workers start lazily, are reused, and never exceed maxWorkers", async () => {
      await withPool(make, 2, async (pool) => {
        assert.equal(pool.statistics().workers, 0);
        for (let i = 0; i < 3; i++) assert.equal(await pool.submit((x: number) => x + 1, i), i + 1);
        assert.equal(pool.statistics().workers, 1, "sequential calls reuse one worker");
        const wait = (s: number) => new Promise((r) => setTimeout(() => r(s), s * 1000));
        const all = [0.05, 0.05, 0.05, 0.05].map((s) => pool.submit(wait, s));
        assert.equal(pool.statistics().workers, 2);
        assert.equal(pool.statistics().queued, 2);
        assert.deepEqual(await Promise.all(all), [0.05, 0.05, 0.05, 0.05]);
        assert.equal(pool.statistics().idle, 2);
      });
    });

    test("a function may load modules with await import()", async () => {
      await withPool(make, 1, async (pool) => {
        const digest = await pool.submit(async (text: string) => {
          const { createHash } = await import("node:crypto");
          return createHash("sha256").update(text).digest("hex");
        }, "abc");
        assert.match(digest, /^ba7816bf/);
      });
    });

    test("the module form runs an exported function of a module by URL", async () => {
      await withPool(make, 1, async (pool) => {
        const sha256 = moduleFunction<(text: string) => string>(WORK, "sha256");
        assert.match(await pool.submit(sha256, "abc"), /^ba7816bf/);
        assert.equal(await pool.submit({ module: WORK }, 21), 42);
        await assert.rejects(
          pool.submit({ module: WORK, export: "notAFunction" }),
          /export "notAFunction" of .* is not a function \(found a number\)/,
        );
        await assert.rejects(
          pool.submit({ module: new URL("./missing.js", WORK) }),
          /Cannot find module|ERR_MODULE_NOT_FOUND/,
        );
      });
    });

    test("a function that captures a variable is refused before anything is sent", async () => {
      await withPool(make, 1, async (pool) => {
        const secret = 42;
        assert.throws(() => pool.submit(() => secret), /captures variable "secret"/);
        assert.equal(pool.statistics().workers, 0);
      });
    });
  });

  describe(`${name}: errors`, () => {
    test("an error thrown in the worker comes back with its name, message, stack and fields", async () => {
      await withPool(make, 1, async (pool) => {
        const err = await pool
          .submit(() => {
            class QuotaError extends Error {
              override name = "QuotaError";
            }
            throw Object.assign(new QuotaError("over quota"), { code: "E_QUOTA", limit: 3 });
          })
          .then(
            () => assert.fail("should have thrown"),
            (e: unknown) => e as Error & Record<string, unknown>,
          );
        assert.equal(err.name, "QuotaError");
        assert.equal(err.message, "over quota");
        assert.equal(err.code, "E_QUOTA");
        assert.equal(err.limit, 3);
        assert.match(err.stack!, /QuotaError: over quota/);
        const typed = await pool
          .submit(() => (globalThis as any).missing.x)
          .catch((e: unknown) => e);
        assert.ok(typed instanceof TypeError, "built-in error classes are rebuilt as themselves");
      });
    });

    test("a result that cannot be cloned fails with a clear TypeError; the worker stays usable", async () => {
      await withPool(make, 1, async (pool) => {
        await assert.rejects(
          pool.submit(() => ({ f: () => 1 })),
          (e: Error) =>
            e instanceof TypeError &&
            /result of the function cannot be sent back from the worker/.test(e.message),
        );
        await assert.rejects(
          pool.submit(
            (x: unknown) => x,
            () => 1,
          ),
          /arguments of the function cannot be sent to the worker/,
        );
        assert.equal(await pool.submit(() => "still fine"), "still fine");
        assert.equal(pool.statistics().workers, 1);
      });
    });

    test("a value that cannot be cloned at all is named, both ways", async () => {
      await withPool(make, 1, async (pool) => {
        await assert.rejects(
          pool.submit((o: unknown) => typeof o, { cache: new WeakMap() }),
          {
            name: "TypeError",
            message:
              /^the arguments of the function cannot be sent to the worker: argument 1\.cache \(an instance of WeakMap\) cannot be cloned \(/,
          },
        );
        await assert.rejects(
          pool.submit(() => ({ ok: true, cache: new WeakMap() })),
          {
            name: "TypeError",
            message:
              /^the result of the function cannot be sent back from the worker: the result\.cache \(an instance of WeakMap\) cannot be cloned \(/,
          },
        );
        assert.equal(await pool.submit((n: number) => n + 1, 1), 2); // the worker stays usable
      });
    });

    test("a class instance is refused, not silently stripped to a plain object, both ways", async () => {
      await withPool(make, 1, async (pool) => {
        class Point {
          constructor(readonly x: number) {}
          norm() {
            return Math.abs(this.x);
          }
        }
        const norm = (label: string, p: Point) => `${label} ${p.norm()}`;
        await assert.rejects(pool.submit(norm, "p", new Point(-3)), {
          name: "TypeError",
          message: new RegExp(
            '^the arguments of function "norm" cannot be sent to the worker: argument 2 ' +
              "\\(an instance of Point\\) is an object of a class, which structured clone would copy",
          ),
        });
        await assert.rejects(
          pool.submit((o: unknown) => o, { options: { signal: new AbortController().signal } }),
          /argument 1\.options\.signal \(an instance of AbortSignal\) .* cancelling the call stops the worker/,
        );
        await assert.rejects(
          pool.submit((u: URL) => String(u), new URL("https://a.example/")),
          /argument 1 \(an instance of URL\)/,
        );
        const mapped: unknown[] = [];
        await assert.rejects(async () => {
          for await (const v of pool.map(
            (m: Map<string, unknown>) => m.size,
            [new Map([["k", new Point(1)]])],
          ))
            mapped.push(v);
        }, /item 1\.get\(\.\.\.\) \(an instance of Point\)/);
        await assert.rejects(
          pool.submit(() => {
            class Money {
              constructor(readonly cents: number) {}
              get euros() {
                return this.cents / 100;
              }
            }
            return { total: new Money(150) };
          }),
          {
            name: "TypeError",
            message:
              /^the result of the function cannot be sent back from the worker: the result\.total \(an instance of Money\)/,
          },
        );
        // Plain data and the classes structured clone keeps still cross.
        const back = await pool.submit(
          (v: unknown) => v,
          [{ a: 1 }, new Date(0), new Map([[1, new Set([2])]]), new RangeError("r"), /x/g, 1n],
        );
        assert.ok((back as unknown[])[3] instanceof RangeError);
        assert.deepEqual((back as unknown[])[1], new Date(0));
        assert.equal(await pool.submit(() => "still usable"), "still usable");
      });
    });

    test("process.exit() in the worker fails the call with BrokenExecutorError and the exit code", async () => {
      await withPool(make, 1, async (pool) => {
        const crash = pool.submit(() => process.exit(7));
        const next = pool.submit(() => "after the crash");
        const err = await crash.catch((e: unknown) => e as BrokenExecutorError);
        assert.ok(err instanceof BrokenExecutorError);
        assert.equal(err.exitCode, 7);
        assert.match(err.message, /exited with code 7/);
        assert.equal(await next, "after the crash", "the pool replaced the worker");
      });
    });

    test("an uncaught error at the worker's top level breaks the call, with the error as cause", async () => {
      await withPool(make, 1, async (pool) => {
        const err = await pool
          .submit(() => {
            setTimeout(() => {
              throw new RangeError("thrown from a timer");
            });
            return new Promise(() => {});
          })
          .catch((e: unknown) => e as BrokenExecutorError);
        assert.ok(err instanceof BrokenExecutorError);
        assert.equal(err.exitCode, 1);
        assert.equal((err.cause as Error).message, "thrown from a timer");
        assert.equal((err.cause as Error).name, "RangeError");
        assert.equal(await pool.submit(() => 1), 1);
      });
    });
  });

  describe(`${name}: cancellation`, () => {
    test("cancelling a queued call removes it: it never runs", async () => {
      await withPool(make, 1, async (pool) => {
        const marker = join(dir, `queued-${Date.now()}`);
        const blocker = pool.submit(
          (s: number) => new Promise((r) => setTimeout(r, s * 1000)),
          0.2,
        );
        const queued = pool.submit(async (path: string) => {
          const { writeFileSync } = await import("node:fs");
          writeFileSync(path, "ran");
        }, marker);
        assert.equal(pool.statistics().queued, 1);
        assert.ok(queued.cancel());
        await sleep(0);
        assert.equal(pool.statistics().queued, 0);
        await blocker;
        assert.equal(await pool.submit(() => "probe"), "probe");
        assert.equal(existsSync(marker), false, "the cancelled call did not run");
      });
    });

    test("cancelling a running call stops its worker, and the pool replaces it", async () => {
      await withPool(make, 1, async (pool) => {
        const spin = pool.submit(() => {
          for (;;) {
            // never returns: only stopping the worker ends this
          }
        });
        const queued = pool.submit(() => "next in line");
        await sleep(0.05);
        spin.cancel();
        await assert.rejects(spin, CancelledError);
        assert.equal(await queued, "next in line", "the queued call ran on a replacement worker");
        assert.equal(pool.statistics().workers, 1);
      });
    });

    test("cancelling the task that awaits a call cancels the call and stops its worker", async () => {
      await withPool(make, 1, async (pool) => {
        const task = createTask(async () => {
          await pool.submit(() => {
            for (;;) {}
          });
        });
        await eventually(() => pool.statistics().running === 1);
        task.cancel();
        await assert.rejects(task, CancelledError);
        assert.equal(pool.statistics().running, 0);
        assert.equal(pool.statistics().workers, 0, "the busy worker was stopped");
        assert.equal(await pool.submit(() => "a fresh worker"), "a fresh worker");
      });
    });

    test("waitFor around a call really stops the work when the deadline passes", async () => {
      await withPool(make, 1, async (pool) => {
        await assert.rejects(
          waitFor(
            pool.submit(() => {
              for (;;) {}
            }),
            0.1,
          ),
          TimeoutError,
        );
        await eventually(() => pool.statistics().running === 0);
        assert.equal(await pool.submit(() => "free again"), "free again");
      });
    });
  });

  describe(`${name}: map`, () => {
    test("results come in input order whatever the completion order, with chunksize", async () => {
      await withPool(make, 3, async (pool) => {
        const slowFirst = async (x: number) => {
          await new Promise((r) => setTimeout(r, (10 - x) * 4));
          return x * 10;
        };
        const seen: number[] = [];
        for await (const v of pool.map(slowFirst, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { chunksize: 3 }))
          seen.push(v);
        assert.deepEqual(seen, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
      });
    });

    test("an async iterable is read as the work proceeds", async () => {
      await withPool(make, 2, async (pool) => {
        async function* items() {
          for (let i = 1; i <= 5; i++) {
            await sleep(0.001);
            yield i;
          }
        }
        const seen: number[] = [];
        for await (const v of pool.map((x: number) => -x, items(), { chunksize: 2 })) seen.push(v);
        assert.deepEqual(seen, [-1, -2, -3, -4, -5]);
      });
    });

    test("an error is thrown at its place in the order", async () => {
      await withPool(make, 2, async (pool) => {
        const seen: number[] = [];
        const failOnThree = (x: number) => {
          if (x === 3) throw new Error("three");
          return x;
        };
        await assert.rejects(async () => {
          for await (const v of pool.map(failOnThree, [1, 2, 3, 4])) seen.push(v);
        }, /three/);
        assert.deepEqual(seen, [1, 2]);
      });
    });

    test("breaking out of the loop cancels the calls not yet consumed", async () => {
      await withPool(make, 1, async (pool) => {
        const wait = (s: number) => new Promise((r) => setTimeout(() => r(s), s * 1000));
        for await (const v of pool.map(wait, [0.01, 0.5, 0.5, 0.5])) {
          assert.equal(v, 0.01);
          break;
        }
        await sleep(0);
        assert.equal(pool.statistics().queued, 0);
        await eventually(() => pool.statistics().running === 0);
      });
    });

    test("a bad chunksize is a RangeError", async () => {
      await withPool(make, 1, async (pool) => {
        assert.throws(() => pool.map((x: number) => x, [1], { chunksize: 0 }), RangeError);
      });
    });
  });

  describe(`${name}: shutdown`, () => {
    test("after shutdown, submit and map throw RuntimeError", async () => {
      await withPool(make, 1, async (pool) => {
        await pool.shutdown();
        assert.throws(() => pool.submit(() => 1), RuntimeError);
        assert.throws(() => pool.map((x: number) => x, [1]), RuntimeError);
        assert.equal(pool.statistics().state, "shut-down");
      });
    });

    test("shutdown waits for running and queued calls, then stops every worker", async () => {
      await withPool(make, 1, async (pool) => {
        const wait = (s: number) => new Promise((r) => setTimeout(() => r(s), s * 1000));
        const first = pool.submit(wait, 0.05);
        const second = pool.submit(wait, 0.01);
        await pool.shutdown({ wait: true });
        assert.ok(first.done() && second.done());
        assert.deepEqual(pool.statistics(), {
          state: "shut-down",
          maxWorkers: 1,
          workers: 0,
          idle: 0,
          running: 0,
          queued: 0,
        });
      });
    });

    test("cancelFutures cancels the queued calls; wait: false returns at once", async () => {
      await withPool(make, 1, async (pool) => {
        const wait = (s: number) => new Promise((r) => setTimeout(() => r(s), s * 1000));
        const running = pool.submit(wait, 0.05);
        const queued = pool.submit(wait, 0.01);
        await sleep(0.01);
        await pool.shutdown({ wait: false, cancelFutures: true });
        assert.equal(running.done(), false, "wait: false did not wait");
        assert.ok(queued.cancelled());
        assert.equal(await running, 0.05, "the running call still completes");
        await pool.shutdown();
        assert.equal(pool.statistics().state, "shut-down");
      });
    });
  });
}
