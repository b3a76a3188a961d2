/**
 * Options objects across the public API: a misspelt option is an error that names it and the
 * options that exist, never a silently applied default (`{ timout: 1 }` waiting forever,
 * `{ returnExecptions: true }` rejecting). Also the argument checks that came with it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  asCompleted,
  createTask,
  EventLoop,
  gather,
  KeyedRateLimiter,
  ProcessPoolExecutor,
  RateLimiter,
  run,
  sleep,
  ThreadPoolExecutor,
  wait,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

/** The error every misspelt option gets: its name, and the options there are. */
function misspelt(where: string, key: string, known: string) {
  return {
    name: "TypeError",
    message: `${where} has no option "${key}"; expected one of: ${known}`,
  };
}

describe("misspelt options are errors", () => {
  test("gather, wait, asCompleted", async () => {
    await runVirtual(async () => {
      const work = () => sleep(0.01, "done");
      assert.throws(
        () => gather([work], { returnExecptions: true } as never),
        misspelt("gather()", "returnExecptions", "returnExceptions"),
      );
      await assert.rejects(
        wait([createTask(work)], { timout: 1 } as never),
        misspelt("wait()", "timout", "timeout, returnWhen"),
      );
      assert.throws(
        () => asCompleted([createTask(work)], { timout: 1 } as never),
        misspelt("asCompleted()", "timout", "timeout"),
      );
      // The right spellings still work.
      assert.deepEqual(await gather([work], { returnExceptions: true }), ["done"]);
      const [done] = await wait([createTask(work)], { timeout: 1 });
      assert.equal(done.size, 1);
    });
  });

  test("run, new EventLoop and createTask", async () => {
    await assert.rejects(
      run(async () => 1, { clok: null } as never),
      misspelt("run()", "clok", "debug, clock"),
    );
    assert.throws(
      () => new EventLoop({ debg: true } as never),
      misspelt("new EventLoop()", "debg", "clock, debug"),
    );
    await runVirtual(async () => {
      assert.throws(
        () => createTask(async () => 1, { nmae: "worker" } as never),
        misspelt("createTask()", "nmae", "name, eagerStart"),
      );
    });
  });

  test("executors and rate limiters", async () => {
    assert.throws(
      () => new ThreadPoolExecutor({ maxWrokers: 2 } as never),
      misspelt("new ThreadPoolExecutor()", "maxWrokers", "maxWorkers"),
    );
    assert.throws(
      () => new ProcessPoolExecutor({ maxWrokers: 2 } as never),
      misspelt("new ProcessPoolExecutor()", "maxWrokers", "maxWorkers"),
    );
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    await assert.rejects(
      pool.shutdown({ wiat: false } as never),
      misspelt("ThreadPoolExecutor.shutdown()", "wiat", "wait, cancelFutures"),
    );
    assert.throws(
      () => pool.map((x: number) => x, [1], { chunkSize: 2 } as never),
      misspelt("ThreadPoolExecutor.map()", "chunkSize", "chunksize"),
    );
    await pool.shutdown();
    assert.throws(
      () => new RateLimiter({ rate: 5, brust: 3 } as never),
      misspelt("RateLimiter()", "brust", "rate, per, burst"),
    );
    assert.throws(
      () => new KeyedRateLimiter({ rate: 5, pre: 2 } as never),
      misspelt("KeyedRateLimiter()", "pre", "rate, per, burst"),
    );
  });
});

describe("argument checks", () => {
  test("run() names a clock that is not a Clock", async () => {
    await assert.rejects(
      run(async () => 1, { clock: 5 as never }),
      {
        name: "TypeError",
        message:
          "the clock option expected a Clock ({ time(), virtual, advanceTo() if virtual }, like new VirtualClock()), got the number 5",
      },
    );
  });

  test("a task's name is kept as a string, as asyncio's set_name keeps str(name)", async () => {
    await runVirtual(async () => {
      const task = createTask(async () => 1, { name: 5 as never });
      assert.equal(task.name, "5");
      await task;
    });
  });

  test("asCompleted and wait name what is not an iterable", async () => {
    await runVirtual(async () => {
      assert.throws(() => asCompleted(5 as never), {
        name: "TypeError",
        message:
          "asCompleted() expected an iterable of tasks, futures, promises or functions, got the number 5",
      });
      await assert.rejects(wait(5 as never), {
        name: "TypeError",
        message: "wait() expected an iterable of tasks, futures or promises, got the number 5",
      });
    });
  });

  test("KeyedRateLimiter needs a key", async () => {
    const limiter = new KeyedRateLimiter({ rate: 5 });
    assert.throws(() => limiter.tryAcquire(undefined as never), {
      name: "TypeError",
      message:
        "KeyedRateLimiter.tryAcquire() expected a key (a host name, a user id...), got undefined",
    });
    await runVirtual(async () => {
      await assert.rejects(limiter.acquire(undefined as never), {
        name: "TypeError",
        message:
          "KeyedRateLimiter.acquire() expected a key (a host name, a user id...), got undefined",
      });
    });
  });
});
