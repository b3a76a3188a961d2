/**
 * ThreadPoolExecutor and toThread: the shared pool contract, plus what only threads do
 * (shared memory, transfer lists) and the default executor of the loop.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { lostClass } from "../src/executors/class-check.js";
import {
  CancelledError,
  getRunningLoop,
  RuntimeError,
  run,
  shield,
  sleep,
  ThreadPoolExecutor,
  TimeoutError,
  toThread,
  waitFor,
  withTransfer,
} from "../src/index.js";
import { eventually, poolContract, withPool } from "./executors-contract.js";

poolContract("ThreadPoolExecutor", (maxWorkers) => new ThreadPoolExecutor({ maxWorkers }));

const make = (maxWorkers: number) => new ThreadPoolExecutor({ maxWorkers });

describe("ThreadPoolExecutor: threads only", () => {
  test("maxWorkers defaults to min(32, cores + 4) and must be a positive integer", async () => {
    const { availableParallelism } = await import("node:os");
    assert.equal(new ThreadPoolExecutor().maxWorkers, Math.min(32, availableParallelism() + 4));
    assert.throws(
      () => new ThreadPoolExecutor({ maxWorkers: 0 }),
      /maxWorkers must be a positive integer, got the number 0/,
    );
    assert.throws(() => new ThreadPoolExecutor({ maxWorkers: 1.5 }), RangeError);
    assert.throws(
      () => new ThreadPoolExecutor({ maxWorkers: Number.POSITIVE_INFINITY }),
      RangeError,
    );
    assert.throws(() => new ThreadPoolExecutor({ maxWorkers: "2" as never }), {
      name: "TypeError",
      message: 'ThreadPoolExecutor: maxWorkers must be a positive integer, got the string "2"',
    });
  });

  test("withTransfer moves an argument's buffer to the worker instead of copying it", async () => {
    await withPool(make, 1, async (pool) => {
      const bytes = new Uint8Array(1024).fill(2);
      const sum = await pool.submit(
        (b: Uint8Array) => b.reduce((s, x) => s + x, 0),
        withTransfer(bytes, [bytes.buffer]),
      );
      assert.equal(sum, 2048);
      assert.equal(bytes.byteLength, 0, "the buffer was transferred, so it is detached here");
    });
  });

  test("a worker function can return a transferred result with withTransfer", async () => {
    await withPool(make, 1, async (pool) => {
      const bytes = await pool.submit(async (n: number) => {
        const { withTransfer } = await import("asyncio-ts");
        const out = new Uint8Array(n).fill(7);
        return withTransfer(out, [out.buffer]);
      }, 16);
      assert.ok(bytes instanceof Uint8Array);
      assert.deepEqual([...bytes], new Array(16).fill(7));
    });
  });

  test("thousands of queued calls whose arguments cannot be sent fail one by one, no stack overflow", {
    timeout: 20_000,
  }, async () => {
    await withPool(make, 1, async (pool) => {
      const blocker = pool.submit((s: number) => new Promise((r) => setTimeout(r, s * 1000)), 0.05);
      const doomed = Array.from({ length: 20_000 }, () =>
        pool.submit(
          (f: unknown) => f,
          () => 1,
        ),
      );
      const after = pool.submit(() => "after");
      await blocker;
      // Each failed send started the next call from inside the previous one: the pool's stack
      // grew with every failure until "Maximum call stack size exceeded" killed the process.
      const outcomes = await Promise.allSettled(doomed);
      assert.ok(outcomes.every((o) => o.status === "rejected" && o.reason instanceof TypeError));
      assert.equal(await after, "after");
    });
  });

  test("a cancelled queued call never runs (seen through shared memory)", async () => {
    await withPool(make, 1, async (pool) => {
      const shared = new Int32Array(new SharedArrayBuffer(8)); // [gate, runs]
      const blocker = pool.submit((s: Int32Array) => {
        while (Atomics.load(s, 0) === 0) Atomics.wait(s, 0, 0, 5000);
        return "released";
      }, shared);
      const counted = (s: Int32Array) => Atomics.add(s, 1, 1);
      const queued = pool.submit(counted, shared);
      queued.cancel();
      Atomics.store(shared, 0, 1);
      Atomics.notify(shared, 0);
      assert.equal(await blocker, "released");
      await pool.submit(counted, shared);
      assert.equal(Atomics.load(shared, 1), 1, "only the second counted call ran");
      await assert.rejects(queued, CancelledError);
    });
  });
});

describe("worker threads under the parent's Node options", () => {
  test("a program run with node --input-type=module -e can use toThread", async () => {
    const index = new URL("../src/index.js", import.meta.url).href;
    const program = `import { run, toThread } from ${JSON.stringify(index)};
await run(async () => console.log(await toThread((x) => x * 2, 21)));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--max-old-space-size=200", "--input-type=module", "-e", program],
      { timeout: 10_000 },
    );
    assert.equal(stdout.trim(), "42");
  });
});

describe("the class check on arguments and results", () => {
  test("names the path to the first object of a class, through cycles, Maps and Sets", () => {
    class P {}
    const root: Record<string, unknown> = { x: [1, { y: new Map([["k", new Set([new P()])]]) }] };
    root.self = root;
    assert.equal(
      lostClass(root, "argument 1"),
      "argument 1.x[1].y.get(...) (a Set element) (an instance of P)",
    );
    const faithful = [
      new Date(0),
      new TypeError("e"),
      Buffer.from("x"),
      /x/,
      Object.create(null),
      1n,
    ];
    assert.equal(lostClass(faithful, "the result"), undefined);
  });

  test("stays cheap on big plain payloads: it looks at the first 10,000 objects only", () => {
    class P {}
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i }));
    assert.equal(
      lostClass([...rows.slice(0, 9_000), new P()], "argument 1"),
      "argument 1[9000] (an instance of P)",
    );
    assert.equal(lostClass([...rows, new P()], "argument 1"), undefined);
  });
});

describe("toThread and runInExecutor", () => {
  test("toThread runs a blocking call without stalling the loop", async () => {
    await run(async () => {
      const ticks: number[] = [];
      const ticker = (async () => {
        for (let i = 0; i < 5; i++) {
          ticks.push(i);
          await sleep(0.01);
        }
      })();
      const slept = await toThread(
        (s: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000),
        0.1,
      );
      await ticker;
      assert.equal(slept, "timed-out");
      assert.deepEqual(ticks, [0, 1, 2, 3, 4]);
    });
  });

  test("cancelling the task that awaits toThread stops the thread", async () => {
    await run(async () => {
      const loop = getRunningLoop();
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      loop.setDefaultExecutor(pool);
      await assert.rejects(
        waitFor(
          toThread(() => {
            for (;;) {}
          }),
          0.1,
        ),
        TimeoutError,
      );
      await eventually(() => pool.statistics().running === 0);
      assert.equal(await toThread(() => "next"), "next");
    });
  });

  test("a shielded call runs to the end when its caller stops waiting (Python's behaviour)", async () => {
    await run(async () => {
      const call = toThread((s: number) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000);
        return "finished";
      }, 0.1);
      await assert.rejects(waitFor(shield(call), 0.01), TimeoutError);
      assert.equal(await call, "finished");
    });
  });

  test("toThread refuses a function that captures variables, with a clear TypeError", async () => {
    await run(async () => {
      const limit = 10;
      assert.throws(
        () => toThread(() => limit),
        (e: Error) =>
          e instanceof TypeError &&
          /^toThread: the anonymous function captures variable "limit"/.test(e.message),
      );
    });
  });

  test("runInExecutor(null, ...) uses the default thread pool, and run() shuts it down", async () => {
    let pool: ThreadPoolExecutor | undefined;
    await run(async () => {
      pool = new ThreadPoolExecutor({ maxWorkers: 2 });
      getRunningLoop().setDefaultExecutor(pool);
      assert.equal(
        await getRunningLoop().runInExecutor(null, (a: number, b: number) => a * b, 6, 7),
        42,
      );
      assert.equal(pool.statistics().workers, 1);
    });
    assert.equal(pool!.statistics().state, "shut-down");
  });
});

test("after shutdownDefaultExecutor(), toThread and runInExecutor(null) throw RuntimeError, as in asyncio, even after setDefaultExecutor()", async () => {
  await run(async () => {
    const loop = getRunningLoop();
    assert.equal(await toThread((x: number) => x + 1, 1), 2);
    await loop.shutdownDefaultExecutor();
    await assert.rejects(
      async () => toThread((x: number) => x + 1, 1),
      (e: unknown) =>
        e instanceof RuntimeError && /^Executor shutdown has been called/.test(e.message),
    );
    const own = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      loop.setDefaultExecutor(own);
      await assert.rejects(async () => loop.runInExecutor(null, () => 1), RuntimeError);
      // An executor passed explicitly still works.
      assert.equal(await loop.runInExecutor(own, () => 3), 3);
    } finally {
      await own.shutdown();
    }
  });
});
