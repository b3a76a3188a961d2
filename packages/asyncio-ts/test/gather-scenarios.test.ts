// Scenarios ported from the gather, shield, wait and as_completed parts of CPython 3.13's
// test_tasks.py. The expected outcomes are what CPython 3.13.0 prints for the same program.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  asCompleted,
  CancelledError,
  createTask,
  ensureFuture,
  FIRST_EXCEPTION,
  type Future,
  gather,
  getRunningLoop,
  shield,
  sleep,
  wait,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

/** A child that catches its cancellation and returns `value` instead. */
async function swallowsCancel(log: EventLog, value: number): Promise<number> {
  try {
    await sleep(10);
  } catch {
    log.at(`child${value} swallowed`);
  }
  return value;
}

describe("gather, CPython 3.13 scenarios", () => {
  test("a task awaiting gather(returnExceptions) cancelled with a message ends with that message (test_cancel_gather_2)", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => {
        for (;;) await gather([sleep(1)], { returnExceptions: true });
      });
      await sleep(3.5);
      t.cancel("my message");
      await assert.rejects(async () => await t, { name: "CancelledError", message: "my message" });
      assert.equal(t.cancelled(), true);
    });
  });

  test("cancelled gather whose children swallow the cancellation still ends with CancelledError (bpo-32684)", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const g = gather([() => swallowsCancel(log, 1), () => swallowsCancel(log, 2)], {
        returnExceptions: true,
      });
      const waiter = createTask(async () => await g);
      await sleep(1);
      waiter.cancel();
      await assert.rejects(async () => await waiter, CancelledError);
      assert.deepEqual(log.entries, ["1: child1 swallowed", "1: child2 swallowed"]);
      // The gather itself is done with a CancelledError as its exception, not cancelled.
      assert.deepEqual([g.done(), g.cancelled()], [true, false]);
      assert.ok(g.exception() instanceof CancelledError);

      log.entries.length = 0;
      const g2 = gather(
        () => swallowsCancel(log, 1),
        () => swallowsCancel(log, 2),
      );
      await sleep(1);
      assert.equal(g2.cancel(), true);
      await assert.rejects(async () => await g2, CancelledError);
      assert.deepEqual(log.entries, ["2: child1 swallowed", "2: child2 swallowed"]);
    });
  });

  test("cancelling a gather that already failed returns false and leaves the others running", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const good = createTask(async () => {
        await sleep(3);
        log.at("good finished");
        return 1;
      });
      const g = gather(async () => {
        await sleep(1);
        throw new RangeError("bad");
      }, good);
      await assert.rejects(async () => await g, RangeError);
      assert.deepEqual([g.cancel(), good.done()], [false, false]);
      assert.equal(await good, 1);
      assert.deepEqual(log.entries, ["3: good finished"]);
    });
  });

  test("gather(shield(a), shield(b)).cancel() cancels the shields, not a and b (test_gather_shield)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const c1 = loop.createFuture<number>();
      const c2 = loop.createFuture<number>();
      const i1 = shield(c1);
      const i2 = shield(c2);
      const parent = gather(i1, i2);
      await sleep(0);
      assert.equal(parent.cancel(), true);
      await sleep(0);
      assert.ok(parent.exception() instanceof CancelledError);
      assert.deepEqual(
        [i1.cancelled(), i2.cancelled(), c1.cancelled(), c2.cancelled()],
        [true, true, false, false],
      );
      c1.setResult(1);
      c2.setResult(2);
      await sleep(0);
    });
  });

  test("shield(gather(a, b)).cancel() leaves the gather running (test_shield_gather)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const c1 = loop.createFuture<number>();
      const c2 = loop.createFuture<number>();
      const parent = gather(c1, c2);
      const outer = shield(parent);
      await sleep(0);
      outer.cancel();
      await sleep(0);
      c1.setResult(1);
      c2.setResult(2);
      assert.deepEqual(await parent, [1, 2]);
      assert.equal(outer.cancelled(), true);
    });
  });
});

describe("shield, CPython 3.13 scenarios", () => {
  test("the shield's awaiter is cancelled; the inner task fails later on its own (test_shield_effect)", async () => {
    await runVirtual(async () => {
      const inner = createTask(async () => {
        await sleep(2);
        throw new RangeError("late");
      });
      const waiter = createTask(async () => await shield(inner));
      await sleep(1);
      waiter.cancel();
      await assert.rejects(async () => await waiter, CancelledError);
      assert.equal(inner.done(), false);
      await assert.rejects(async () => await inner, RangeError);
    });
  });

  test("the inner task cancelled: the shield's awaiter gets CancelledError (test_shield_cancel_inner)", async () => {
    await runVirtual(async () => {
      const inner = createTask(() => sleep(10));
      const waiter = createTask(async () => {
        try {
          return await shield(inner);
        } catch (e) {
          assert.ok(e instanceof CancelledError);
          return "waiter saw CancelledError";
        }
      });
      await sleep(1);
      inner.cancel();
      assert.equal(await waiter, "waiter saw CancelledError");
      assert.equal(waiter.cancelled(), false);
    });
  });

  test("a failure of the inner work reaches the shield; a done input is returned as is (test_shield_exception, test_shield_shortcut)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const inner = loop.createFuture<number>();
      const outer = shield(inner);
      await sleep(0);
      const error = new RangeError("expected");
      inner.setException(error);
      await sleep(0);
      assert.equal(outer.exception(), error);
      const done = loop.createFuture<number>();
      done.setResult(42);
      assert.equal(shield(done), done);
    });
  });
});

describe("wait and asCompleted, CPython 3.13 scenarios", () => {
  test("asCompleted can be resumed after a break (test_as_completed_resume_iterator)", async () => {
    await runVirtual(async () => {
      const coro = (i: number, d: number) => () => sleep(d, i);
      const inputs = [coro(0, 3), coro(1, 1), coro(2, 2), coro(3, 4)];
      for (const mode of ["async", "sync"] as const) {
        const it = asCompleted(inputs);
        const got: number[] = [];
        if (mode === "async") {
          for await (const f of it) {
            got.push(await f);
            if (got.length === 2) break;
          }
          for await (const f of it) got.push(await f);
        } else {
          for (const f of it) {
            got.push(await f);
            if (got.length === 2) break;
          }
          for (const f of it) got.push(await f);
        }
        assert.deepEqual(got, [1, 2, 0, 3], mode);
      }
    });
  });

  test("plain iteration: the first promise awaited gets the first completion (test_as_completed_reverse_wait)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const futs = [...asCompleted([sleep(1, "a"), sleep(2, "b")])];
      assert.equal(futs.length, 2);
      assert.equal(await futs[1], "a");
      assert.equal(loop.time(), 1);
      assert.equal(await futs[0], "b");
      assert.equal(loop.time(), 2);
    });
  });

  test("plain iteration: promises awaited concurrently each get one completion (test_as_completed_concurrent)", async () => {
    await runVirtual(async () => {
      const futs = [...asCompleted([sleep(1, "a"), sleep(1, "b")])];
      const [done, pending] = await wait(futs.map((f) => ensureFuture(f)));
      assert.equal(pending.size, 0);
      assert.deepEqual(new Set([...done].map((f) => f.result())), new Set(["a", "b"]));
    });
  });

  test("plain iteration: cancelling the task awaiting a promise cancels that wait, and the completion goes to the next awaiter", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const futs = [...asCompleted([sleep(1, "a"), sleep(2, "b")])];
      const first = createTask(async () => await futs[0]);
      loop.callLater(0.5, () => first.cancel());
      await assert.rejects(async () => await first, CancelledError);
      assert.equal(loop.time(), 0.5);
      // The task waiting since 0.5 gets "a" at 1.
      assert.deepEqual([await futs[1], loop.time()], ["a", 1]);
    });
  });

  test("plain iteration: an awaiter woken by a completion but cancelled before it resumes passes the completion on", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const xf = loop.createFuture<string>();
      const yf = loop.createFuture<string>();
      const slots = [...asCompleted([xf, yf])];
      const a = createTask(async () => await slots[0]);
      const b = createTask(async () => await slots[1]);
      await sleep(0); // both wait, a first
      xf.addDoneCallback(() => a.cancel()); // after asCompleted's own callback has woken a
      xf.setResult("x");
      loop.callLater(5, () => yf.setResult("y"));
      await assert.rejects(async () => await a, CancelledError);
      assert.deepEqual([await b, loop.time()], ["x", 0]);
    });
  });

  test("plain iteration with a timeout: what finished in time, then TimeoutError (test_as_completed_with_timeout)", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      for (const next of asCompleted([sleep(1, "a"), sleep(5, "b")], { timeout: 2 })) {
        try {
          log.at(await next);
        } catch (e) {
          log.at((e as Error).name);
        }
      }
      assert.deepEqual(log.entries, ["1: a", "2: TimeoutError"]);
    });
  });

  test("a cancelled input comes first when it finishes first, and its step raises CancelledError", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const [a, b, c] = [0, 1, 2].map(() => loop.createFuture<string>()) as [
        Future<string>,
        Future<string>,
        Future<string>,
      ];
      loop.callSoon(() => b.cancel());
      loop.callLater(1, () => a.setException(new RangeError("a")));
      loop.callLater(2, () => c.setResult("c"));
      const log: string[] = [];
      for await (const f of asCompleted([a, b, c])) {
        try {
          // TypeScript 5.9 may type the second `for await` over an iterable of promise-likes as
          // the awaited value; the runtime value is the future itself.
          log.push((f as unknown as Future<string>).result());
        } catch (e) {
          log.push((e as Error).name);
        }
      }
      const [d, e] = [loop.createFuture<number>(), loop.createFuture<number>()];
      loop.callSoon(() => e.cancel());
      loop.callLater(1, () => d.setResult(1));
      for (const next of asCompleted([d, e])) {
        try {
          log.push(String(await next));
        } catch (error) {
          log.push((error as Error).name);
        }
      }
      assert.deepEqual(log, ["CancelledError", "RangeError", "c", "CancelledError", "1"]);
    });
  });

  test("FIRST_EXCEPTION ignores a cancelled input and returns at the first real failure", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const a = loop.createFuture<void>();
      const b = loop.createFuture<void>();
      loop.callSoon(() => a.cancel());
      loop.callLater(1, () => b.setException(new RangeError("b")));
      const [done, pending] = await wait([a, b], { returnWhen: FIRST_EXCEPTION });
      assert.deepEqual([loop.time(), done.has(a), done.has(b), pending.size], [1, true, true, 0]);
      assert.ok(b.exception() instanceof RangeError);
    });
  });

  test("cancelling a task blocked in wait() leaves the awaited tasks alone", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(10));
      const w = createTask(() => wait([t]));
      await sleep(1);
      w.cancel();
      await assert.rejects(async () => await w, CancelledError);
      assert.deepEqual([t.cancelled(), t.done()], [false, false]);
      t.cancel();
    });
  });

  test("wait with timeout 0, and FIRST_COMPLETED with an input already done, return at once", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const a = loop.createFuture<number>();
      a.setResult(1);
      const b = loop.createFuture<number>();
      let [done, pending] = await wait([a, b], { timeout: 0 });
      assert.deepEqual([done.has(a), pending.has(b)], [true, true]);
      [done, pending] = await wait([a, b], { returnWhen: "FIRST_COMPLETED" });
      assert.deepEqual([done.has(a), pending.has(b), loop.time()], [true, true, 0]);
    });
  });
});
