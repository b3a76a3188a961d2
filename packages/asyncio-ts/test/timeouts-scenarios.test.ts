// Scenarios ported from CPython 3.13's test_timeouts.py and test_waitfor.py. The expected logs are
// what CPython 3.13.0 prints for the same program (one virtual second here is one unit there).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  ExceptionGroup,
  getRunningLoop,
  RuntimeError,
  run,
  shield,
  sleep,
  type Timeout,
  TimeoutError,
  taskGroup,
  timeout,
  timeoutAt,
  waitFor,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

/** Runs nested scopes `outer(inner(body))` and logs how each ended, as the Python script does. */
async function nested(
  outerDelay: number,
  innerDelay: number,
  body: () => Promise<void>,
): Promise<(string | number | boolean)[][]> {
  const task = currentTask()!;
  const seen: (string | number | boolean)[][] = [];
  let cmOuter: Timeout | undefined;
  try {
    await timeout(outerDelay, async (outer) => {
      cmOuter = outer;
      let cmInner: Timeout | undefined;
      try {
        await timeout(innerDelay, async (inner) => {
          cmInner = inner;
          await body();
        });
      } catch (e) {
        seen.push([
          "inner",
          (e as Error).name,
          task.cancelling(),
          cmInner!.expired(),
          cmOuter.expired(),
        ]);
        throw e;
      }
    });
  } catch (e) {
    seen.push(["outer", (e as Error).name, task.cancelling()]);
  }
  return seen;
}

/** waitFor(work that sleeps 10 s, limit), logging the work's cancellation and what waitFor raised. */
async function loggedWaitFor(log: EventLog, limit: number, prefix = ""): Promise<void> {
  try {
    await waitFor(async () => {
      try {
        await sleep(10);
      } catch (e) {
        log.at("work cancelled");
        throw e;
      }
    }, limit);
  } catch (e) {
    log.at(`${prefix}${(e as Error).name}`);
    throw e;
  }
}

describe("timeout, CPython 3.13 scenarios", () => {
  test("nested timeouts expiring before the body resumes: the inner lets the CancelledError through, the outer raises TimeoutError", async () => {
    await runVirtual(async () => {
      // Both deadlines already due at the first await.
      assert.deepEqual(await nested(0, 0, () => sleep(1)), [
        ["inner", "CancelledError", 1, true, true],
        ["outer", "TimeoutError", 0],
      ]);
      // Both deadlines pass while the body is busy outside the library (test_nested_timeouts_loop_busy):
      // a foreign promise, no cancellation point, settled just after the outer deadline.
      const loop = getRunningLoop();
      assert.deepEqual(
        await nested(5, 1, async () => {
          await new Promise((resolve) => loop.callLater(5, () => resolve(undefined)));
          await sleep(1);
        }),
        [
          ["inner", "CancelledError", 1, true, true],
          ["outer", "TimeoutError", 0],
        ],
      );
    });
  });

  test("a deadline already passed expires at the first sleep(0) (test_timeout_zero_sleep_zero, test_timeout_in_the_past_sleep_zero)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      for (const delay of [0, -11]) {
        let scope: Timeout | undefined;
        await assert.rejects(
          timeout(delay, async (cm) => {
            scope = cm;
            await sleep(0);
          }),
          TimeoutError,
        );
        assert.equal(scope!.expired(), true);
        assert.equal(scope!.when(), loop.time() + delay);
      }
      // A body that never suspends finishes before the expiry runs, as in asyncio.
      let scope: Timeout | undefined;
      const result = await timeout(0, async (cm) => {
        scope = cm;
        return 42;
      });
      assert.deepEqual([result, scope!.expired()], [42, false]);
    });
  });

  test("while expiring: reschedule() is refused, a swallowed cancellation ends the scope normally (test_timeout_expiring)", async () => {
    await runVirtual(async () => {
      const seen: unknown[] = [];
      let scope: Timeout | undefined;
      await timeout(1, async (cm) => {
        scope = cm;
        try {
          await sleep(10);
        } catch (e) {
          seen.push((e as Error).name);
        }
        assert.throws(
          () => cm.reschedule(null),
          (e: unknown) =>
            e instanceof RuntimeError && e.message === "Cannot change state of expiring Timeout",
        );
        seen.push(String(cm));
        await sleep(0);
        seen.push("later await ok");
      });
      seen.push(String(scope), scope!.expired(), currentTask()!.cancelling());
      assert.deepEqual(seen, [
        "CancelledError",
        "<Timeout [expiring]>",
        "later await ok",
        "<Timeout [expired]>",
        true,
        0,
      ]);
      assert.throws(() => scope!.reschedule(5), /Cannot change state of expired Timeout/);
    });
  });

  test("a cancel inside a timeout entered after a caught cancellation propagates (test_cancel_in_timeout_after_cancellation)", async () => {
    await runVirtual(async () => {
      const task = currentTask()!;
      const seen: unknown[] = [];
      try {
        task.cancel();
        await sleep(1);
      } catch {
        seen.push("first");
      } finally {
        let scope: Timeout | undefined;
        try {
          await timeout(1, async (cm) => {
            scope = cm;
            task.cancel();
            await sleep(2);
          });
        } catch (e) {
          seen.push((e as Error).name, scope!.expired());
        }
      }
      seen.push(task.uncancel(), task.uncancel());
      assert.deepEqual(seen, ["first", "CancelledError", false, 1, 0]);
    });
  });

  test("timeout around a TaskGroup whose child fails in cleanup: the ExceptionGroup wins (test_timeout_taskgroup)", async () => {
    await runVirtual(async () => {
      let scope: Timeout | undefined;
      const error = await timeout(1, async (cm) => {
        scope = cm;
        await taskGroup(async (tg) => {
          tg.createTask(async () => {
            try {
              await sleep(10);
            } finally {
              // biome-ignore lint/correctness/noUnsafeFinally: the scenario is an error raised by cleanup
              throw new RangeError("cleanup");
            }
          });
          try {
            throw new TypeError("body");
          } finally {
            await sleep(10);
          }
        });
      }).catch((e: unknown) => e);
      assert.ok(error instanceof ExceptionGroup);
      assert.deepEqual(
        error.exceptions.map((e) => (e as Error).message),
        ["cleanup"],
      );
      assert.equal(scope!.expired(), true);
      // The group re-armed the timeout's cancellation; the timeout withdrew it: nothing pending.
      assert.equal(currentTask()!.cancelling(), 0);
      await sleep(0);
    });
  });

  test("reschedule to a past deadline expires at the next await (test_reschedule)", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const loop = getRunningLoop();
      await assert.rejects(
        timeout(10, async (cm) => {
          await sleep(1);
          cm.reschedule(loop.time() - 5);
          log.at("rescheduled");
          await sleep(0);
          log.at("not reached");
        }),
        TimeoutError,
      );
      log.at("timeout");
      assert.deepEqual(log.entries, ["1: rescheduled", "1: timeout"]);
    });
  });

  test("reschedule from another task moves the deadline of a running scope (test_reschedule)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const entered = loop.createFuture<Timeout>();
      const task = createTask(() =>
        timeoutAt(loop.time() + 10, async (cm) => {
          entered.setResult(cm);
          await sleep(50);
        }),
      );
      const cm = await entered;
      assert.equal(cm.when(), 10);
      cm.reschedule(loop.time() + 2);
      assert.match(String(cm), /^<Timeout \[active\] when=2\.000>$/);
      await assert.rejects(async () => await task, TimeoutError);
      assert.equal(loop.time(), 2);
      assert.equal(cm.expired(), true);
    });
  });
});

describe("timeout combined with shield and waitFor", () => {
  test("timeout around shield(task): TimeoutError at the deadline, the task runs on", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const t = createTask(() => sleep(3, "r"));
      await assert.rejects(
        timeout(1, () => shield(t)),
        TimeoutError,
      );
      assert.deepEqual([loop.time(), t.done()], [1, false]);
      assert.equal(await t, "r");
      assert.equal(loop.time(), 3);
    });
  });

  test("waitFor inside a shorter timeout: waitFor lets the CancelledError through, the timeout raises", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await assert.rejects(
        timeout(1, () => loggedWaitFor(log, 5, "waitFor raised ")),
        TimeoutError,
      );
      assert.deepEqual(log.entries, ["1: work cancelled", "1: waitFor raised CancelledError"]);
      assert.equal(currentTask()!.cancelling(), 0);
    });
  });
});

describe("deadlines beyond setTimeout's range", () => {
  test("timeout(Infinity) and a deadline a month away neither fire nor spin the real-clock loop", async () => {
    // Node replaces a setTimeout delay over 2^31 - 1 ms by 1 ms (with a TimeoutOverflowWarning):
    // the loop's native timer then fired every millisecond. asyncio accepts timeout(math.inf).
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on("warning", onWarning);
    try {
      const result = await run(async () => {
        const loop = getRunningLoop();
        let fired = false;
        const month = loop.callLater(30 * 86400, () => {
          fired = true;
        });
        const value = await timeout(Number.POSITIVE_INFINITY, async (cm) => {
          cm.reschedule(Number.POSITIVE_INFINITY);
          await new Promise((resolve) => setTimeout(resolve, 30));
          return waitFor(() => sleep(0.01, "in time"), Number.POSITIVE_INFINITY);
        });
        month.cancel();
        return [value, fired];
      });
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on next tick
      assert.deepEqual(result, ["in time", false]);
      assert.deepEqual(warnings, []);
    } finally {
      process.removeListener("warning", onWarning);
    }
  });
});

describe("waitFor, CPython 3.13 scenarios", () => {
  test("an error raised by the work while it is cancelled replaces the TimeoutError (test_wait_for_reraises_exception_during_cancellation)", async () => {
    await runVirtual(async () => {
      const inner = createTask(async () => {
        try {
          await sleep(10);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: the scenario is an error raised by cleanup
          throw new RangeError("cleanup");
        }
      });
      await assert.rejects(waitFor(inner, 1), { name: "RangeError", message: "cleanup" });
      assert.equal(currentTask()!.cancelling(), 0);
    });
  });

  test("work already done when the caller is cancelled: the caller still ends cancelled (test_wait_for_issue86296)", async () => {
    await runVirtual(async () => {
      const inner = createTask(async () => "done");
      let reachedEnd = false;
      const task = createTask(async () => {
        await waitFor(inner, 100);
        await sleep(1);
        reachedEnd = true;
      });
      await sleep(0);
      task.cancel();
      await assert.rejects(async () => await task, CancelledError);
      assert.equal(inner.result(), "done");
      assert.equal(reachedEnd, false);
    });
  });

  test("a future completed by callSoon is returned (test_wait_for_race_condition)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fut = loop.createFuture<string>();
      loop.callSoon(() => fut.setResult("ok"));
      assert.equal(await waitFor(fut, 0.2), "ok");
    });
  });

  test("waitFor(shield(task)): the timeout cancels the shield, not the task (test_shielded_timeout, test_zero_timeout)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const task = createTask(() => sleep(5, "done"));
      await assert.rejects(waitFor(shield(task), 1), TimeoutError);
      assert.deepEqual([loop.time(), task.done()], [1, false]);
      assert.equal(await task, "done");
      assert.equal(loop.time(), 5);

      const task2 = createTask(() => sleep(5, "done"));
      const shielded = shield(task2);
      await assert.rejects(waitFor(shielded, 0), TimeoutError);
      assert.deepEqual([shielded.cancelled(), task2.done()], [true, false]);
      assert.equal(await task2, "done");
    });
  });

  test("work finishing at the very deadline: TimeoutError, the result is dropped (3.12+ wait_for is a timeout scope)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fut = loop.createFuture<string>();
      loop.callLater(2, () => fut.setResult("value")); // due with the deadline, scheduled first
      await assert.rejects(waitFor(fut, 2), TimeoutError);
      assert.equal(fut.result(), "value");
      const task = createTask(() => sleep(2, "task value"));
      await assert.rejects(waitFor(task, 2), TimeoutError);
      assert.equal(task.cancelled(), true);
    });
  });

  test("documented difference: a task whose sleep ends at the deadline runs on to its next await", async () => {
    // docs/differences.md, "sleep() returns a native promise": CPython 3.13 raises TimeoutError in
    // both cases (the cancel is delivered at the await that just completed).
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const afterSleep = createTask(async () => {
        await sleep(2);
        throw new RangeError("after the sleep");
      });
      await sleep(0); // its sleep's timer comes before the deadline's
      await assert.rejects(waitFor(afterSleep, 2), RangeError);
      assert.equal(afterSleep.cancelled(), false);
      // The same with a Future instead of sleep: as in asyncio.
      const fut = loop.createFuture<void>();
      loop.callLater(2, () => fut.setResult());
      const afterFuture = createTask(async () => {
        await fut;
        throw new RangeError("after the future");
      });
      await sleep(0);
      await assert.rejects(waitFor(afterFuture, 2), TimeoutError);
      assert.equal(afterFuture.cancelled(), true);
    });
  });

  test("the caller cancelled at the deadline: CancelledError, not TimeoutError", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const caller = createTask(() => loggedWaitFor(log, 2));
      getRunningLoop().callLater(2, () => caller.cancel());
      await assert.rejects(async () => await caller, CancelledError);
      assert.equal(caller.cancelled(), true);
      assert.deepEqual(log.entries, ["2: work cancelled", "2: CancelledError"]);
    });
  });

  test("work that ignores the cancellation and finishes later: waitFor waits and returns its value", async () => {
    await runVirtual(async () => {
      const result = await waitFor(async () => {
        try {
          await sleep(10);
        } catch {
          // ignored
        }
        await sleep(3);
        return "late";
      }, 1);
      assert.deepEqual([result, getRunningLoop().time()], ["late", 4]);
    });
  });

  test("the caller's cancel message reaches its awaiter", async () => {
    await runVirtual(async () => {
      const t = createTask(() => waitFor(() => sleep(10), 5));
      await sleep(1);
      t.cancel("stop now");
      await assert.rejects(async () => await t, { name: "CancelledError", message: "stop now" });
    });
  });
});
