import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  getRunningLoop,
  RuntimeError,
  sleep,
  type Timeout,
  TimeoutError,
  timeout,
  timeoutAt,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("timeout", () => {
  test("a deadline cancels the body and becomes TimeoutError caused by the CancelledError", async () => {
    await runVirtual(async () => {
      let scope: Timeout | undefined;
      const error = await timeout(2, async (cm) => {
        scope = cm;
        await sleep(10);
      }).catch((e: unknown) => e);
      assert.ok(error instanceof TimeoutError);
      assert.ok((error as Error).cause instanceof CancelledError);
      assert.equal(scope!.expired(), true);
      assert.equal(getRunningLoop().time(), 2);
      assert.equal(currentTask()!.cancelling(), 0, "the scope withdrew its own cancellation");
    });
  });

  test("a body that finishes in time returns its value; null means no deadline", async () => {
    await runVirtual(async () => {
      assert.equal(await timeout(5, () => sleep(1, "in time")), "in time");
      assert.equal(await timeout(null, () => sleep(100, "no limit")), "no limit");
    });
  });

  test("timeoutAt takes an absolute loop time", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      await assert.rejects(
        timeoutAt(loop.time() + 3, () => sleep(10)),
        TimeoutError,
      );
      assert.equal(loop.time(), 3);
    });
  });

  test("nested scopes with the same deadline: only the outermost raises TimeoutError (test_nested_timeouts)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const deadline = loop.time() + 1;
      let innerSawCancel = false;
      let cm1: Timeout | undefined;
      let cm2: Timeout | undefined;
      await assert.rejects(
        timeoutAt(deadline, async (outer) => {
          cm1 = outer;
          try {
            await timeoutAt(deadline, async (inner) => {
              cm2 = inner;
              await sleep(10);
            });
          } catch (e) {
            innerSawCancel = e instanceof CancelledError;
            throw e;
          }
        }),
        TimeoutError,
      );
      assert.equal(innerSawCancel, true);
      assert.equal(cm1!.expired(), true);
      assert.equal(cm2!.expired(), true);
    });
  });

  test("an inner scope expiring inside a longer outer one is caught by the inner scope", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await timeout(10, async (outer) => {
        try {
          await timeout(1, () => sleep(5));
        } catch (e) {
          log.at(`inner: ${(e as Error).name}`);
        }
        await sleep(1);
        log.at(`outer expired: ${outer.expired()}`);
      });
      assert.deepEqual(log.entries, ["1: inner: TimeoutError", "2: outer expired: false"]);
    });
  });

  test("the outer deadline passing inside an inner scope is attributed to the outer scope", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await assert.rejects(
        timeout(1, async () => {
          try {
            await timeout(5, () => sleep(10));
          } catch (e) {
            log.at(`inner saw ${(e as Error).name}`);
            throw e;
          }
        }),
        TimeoutError,
      );
      assert.deepEqual(log.entries, ["1: inner saw CancelledError"]);
    });
  });

  test("a foreign cancellation is not turned into TimeoutError (test_foreign_cancel_doesnt_timeout_if_not_expired)", async () => {
    await runVirtual(async () => {
      let scope: Timeout | undefined;
      const t = createTask(() =>
        timeout(10, async (cm) => {
          scope = cm;
          await sleep(10);
        }),
      );
      await sleep(1);
      t.cancel();
      await assert.rejects(async () => await t, CancelledError);
      assert.equal(scope!.expired(), false);
    });
  });

  test("a foreign cancellation racing the deadline still propagates as CancelledError", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t = createTask(() => timeout(1, () => sleep(10)));
      loop.callLater(1, () => t.cancel()); // scheduled after the deadline's timer, same time
      await assert.rejects(async () => await t, CancelledError);
    });
  });

  test("a timeout used in cleanup after a caught cancellation still works (test_timeout_after_cancellation)", async () => {
    await runVirtual(async () => {
      const task = currentTask()!;
      try {
        task.cancel();
        await sleep(1);
      } catch (e) {
        assert.ok(e instanceof CancelledError);
      } finally {
        await assert.rejects(
          timeout(0, () => sleep(1)),
          TimeoutError,
        );
      }
      assert.equal(task.uncancel(), 0);
    });
  });

  test("reschedule moves the deadline; reschedule(null) removes it", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      await timeout(1, async (cm) => {
        cm.reschedule(loop.time() + 5);
        assert.equal(cm.when(), loop.time() + 5);
        await sleep(3);
        cm.reschedule(null);
        await sleep(10);
      });
      assert.equal(loop.time(), 13);
      await assert.rejects(
        timeout(10, async (cm) => {
          cm.reschedule(loop.time() + 1);
          await sleep(5);
        }),
        // The message names the deadline that expired, not the 10 s it was created with.
        { name: "TimeoutError", message: "timeout expired at loop time 14.000 (rescheduled)" },
      );
    });
  });

  test("a deadline in the past expires at the next await, not synchronously", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await assert.rejects(
        timeout(-1, async () => {
          log.push("body runs");
          await sleep(1);
          log.push("not reached");
        }),
        TimeoutError,
      );
      assert.deepEqual(log.entries, ["body runs"]);
    });
  });

  test("reschedule outside the scope is a RuntimeError naming the state", async () => {
    await runVirtual(async () => {
      let scope: Timeout | undefined;
      await timeout(1, async (cm) => {
        scope = cm;
      });
      assert.throws(
        () => scope!.reschedule(5),
        (e: unknown) => e instanceof RuntimeError && /finished/.test(e.message),
      );
      assert.match(String(scope), /<Timeout \[finished\]>/);
    });
  });

  test("a body error other than cancellation passes through unchanged", async () => {
    await runVirtual(async () => {
      await assert.rejects(
        timeout(5, async () => {
          throw new TypeError("mine");
        }),
        TypeError,
      );
    });
  });

  test("bad input: NaN delay is a RangeError, a missing body a TypeError", async () => {
    await runVirtual(async () => {
      await assert.rejects(
        timeout(Number.NaN, async () => 1),
        RangeError,
      );
      await assert.rejects(
        timeout("2" as never, async () => 1),
        TypeError,
      );
      await assert.rejects(timeout(1, undefined as never), /expected a body function/);
    });
  });

  test("outside any task the body runs in a fresh task", async () => {
    const result = await timeout(1, async () => currentTask() !== undefined);
    assert.equal(result, true);
  });
});
