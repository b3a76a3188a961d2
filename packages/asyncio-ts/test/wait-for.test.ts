import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  gather,
  getRunningLoop,
  Lock,
  Semaphore,
  sleep,
  TimeoutError,
  waitFor,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("waitFor", () => {
  test("returns the result when it arrives in time", async () => {
    await runVirtual(async () => {
      assert.equal(await waitFor(sleep(1, "done"), 2), "done");
      assert.equal(await waitFor(async () => "fn", 2), "fn");
      assert.equal(await waitFor(Promise.resolve("promise"), 2), "promise");
      assert.equal(await waitFor(sleep(100, "forever"), null), "forever");
    });
  });

  test("on timeout it cancels the work, waits for its cleanup, then throws TimeoutError", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const work = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          log.at("work cancelled, cleaning up");
          await sleep(0.5);
          log.at("work cleanup done");
          throw e;
        }
      });
      await assert.rejects(
        waitFor(work, 2),
        (e: unknown) => e instanceof TimeoutError && /after 2 s/.test(e.message),
      );
      log.at("waitFor returned");
      assert.equal(work.cancelled(), true);
      assert.deepEqual(log.entries, [
        "2: work cancelled, cleaning up",
        "2.5: work cleanup done",
        "2.5: waitFor returned",
      ]);
    });
  });

  test("seed 004: wait_for(slow_operation(), timeout=2.0) prints the timeout", async () => {
    await runVirtual(async () => {
      const slowOperation = async () => {
        await sleep(10);
        return "complete";
      };
      let message = "";
      try {
        await waitFor(slowOperation, 2.0);
      } catch (e) {
        if (e instanceof TimeoutError) message = "timeout!";
      }
      assert.equal(message, "timeout!");
      assert.equal(getRunningLoop().time(), 2);
    });
  });

  test("work that suppresses the cancellation and returns a value: waitFor returns it", async () => {
    await runVirtual(async () => {
      const result = await waitFor(async () => {
        try {
          await sleep(10);
        } catch {
          return "suppressed";
        }
        return "normal";
      }, 1);
      assert.equal(result, "suppressed");
      assert.equal(currentTask()!.cancelling(), 0);
    });
  });

  test("a timeout of 0 or less: the result if done, else cancel and TimeoutError", async () => {
    await runVirtual(async () => {
      const done = getRunningLoop().createFuture<string>();
      done.setResult("already");
      assert.equal(await waitFor(done, 0), "already");
      const pending = createTask(() => sleep(5));
      await sleep(0);
      await assert.rejects(waitFor(pending, -1), {
        name: "TimeoutError",
        message: "waitFor() timed out at once (timeout -1 s <= 0)",
      });
      assert.equal(pending.cancelled(), true);
    });
  });

  test("cancelling the caller cancels the awaited work", async () => {
    await runVirtual(async () => {
      const work = createTask(() => sleep(10));
      const caller = createTask(() => waitFor(work, 5));
      await sleep(1);
      caller.cancel();
      await assert.rejects(async () => await caller, CancelledError);
      assert.equal(work.cancelled(), true);
    });
  });

  test("errors of the work pass through", async () => {
    await runVirtual(async () => {
      await assert.rejects(
        waitFor(async () => {
          throw new SyntaxError("inner");
        }, 1),
        SyntaxError,
      );
    });
  });

  test("a TimeoutError raised by the work itself keeps its own message", async () => {
    await runVirtual(async () => {
      await assert.rejects(
        waitFor(async () => {
          throw new TimeoutError("the work's own timeout");
        }, 5),
        /the work's own timeout/,
      );
    });
  });

  test("waitFor(sleep(n), t) stops the sleep on timeout", async () => {
    await runVirtual(async () => {
      const slept = sleep(100);
      await assert.rejects(waitFor(slept, 1), TimeoutError);
      // Stopped, not abandoned: the sleep ends now with CancelledError, not at t=100.
      await assert.rejects(slept, CancelledError);
      assert.equal(getRunningLoop().time(), 1);
    });
  });

  test("a cancelled gather of sleep promises stops the sleeps", async () => {
    await runVirtual(async () => {
      const sleeps = [sleep(50), sleep(60)];
      const g = gather(sleeps);
      await sleep(1);
      g.cancel();
      await assert.rejects(async () => await g, CancelledError);
      for (const s of sleeps) await assert.rejects(s, CancelledError);
      assert.equal(getRunningLoop().time(), 1);
    });
  });

  test("waitFor(lock.acquire(), t) that times out leaves no waiter behind to take the lock", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      await lock.acquire();
      await assert.rejects(waitFor(lock.acquire(), 1), TimeoutError);
      const sem = new Semaphore(0);
      await assert.rejects(waitFor(sem.acquire(), 1), TimeoutError);
      lock.release();
      sem.release();
      // Nobody took them for the abandoned acquires: they are free for the next taker.
      assert.equal(lock.locked(), false);
      assert.equal(await waitFor(lock.acquire(), 1), true);
      assert.equal(await waitFor(sem.acquire(), 1), true);
      assert.deepEqual(lock.statistics(), { locked: true, waiters: 0 });
    });
  });

  test("bad input: NaN timeout is a RangeError", async () => {
    await runVirtual(async () => {
      await assert.rejects(waitFor(sleep(1), Number.NaN), RangeError);
    });
  });

  test("outside any task it runs in a fresh task", async () => {
    await assert.rejects(waitFor(new Promise(() => {}), 0.001), TimeoutError);
  });
});
