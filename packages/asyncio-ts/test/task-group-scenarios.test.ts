// Scenarios ported from CPython 3.13's Lib/test/test_asyncio/test_taskgroups.py. Each test names
// its original; the expected logs are what CPython 3.13.0 prints for the same program (time in
// the same units: one virtual second here is one unit there).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  ExceptionGroup,
  getRunningLoop,
  KeyboardInterrupt,
  sleep,
  type Task,
  taskGroup,
  timeout,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

/** The names of an ExceptionGroup's members, nested groups as `EG[...]` (as the Python script prints). */
function names(error: unknown): string[] {
  assert.ok(error instanceof ExceptionGroup, `expected an ExceptionGroup, got ${String(error)}`);
  return error.exceptions.map((e) =>
    e instanceof ExceptionGroup ? `EG[${names(e).join(", ")}]` : (e as Error).name,
  );
}

/** A child that sleeps and fails in its cleanup (CPython's `try: sleep(10) finally: 1 / 0`). */
async function failsInCleanup(): Promise<void> {
  try {
    await sleep(10);
  } finally {
    // biome-ignore lint/correctness/noUnsafeFinally: the scenario is an error raised by cleanup
    throw new ZeroDivisionError("division by zero");
  }
}

async function crashAfter(seconds: number): Promise<never> {
  await sleep(seconds);
  throw new RangeError(String(seconds));
}

/** Starts `fn` as a task, cancels it 1 s later, and returns the task and the error it ended with. */
async function cancelAfterOne(
  fn: () => Promise<unknown>,
): Promise<{ task: Task<unknown>; error: unknown }> {
  const task = createTask(fn);
  await sleep(1);
  task.cancel();
  const error = await task.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { task, error };
}

describe("taskGroup, CPython 3.13 scenarios", () => {
  test("a child cancelled explicitly does not disturb the group (test_taskgroup_03)", async () => {
    await runVirtual(async () => {
      let t1: Task<number> | undefined;
      let t2: Task<number> | undefined;
      await taskGroup(async (g) => {
        t1 = g.createTask(() => sleep(10, 42));
        await sleep(1);
        t1.cancel();
        t2 = g.createTask(() => sleep(2, 11));
      });
      assert.equal(t1!.cancelled(), true);
      assert.equal(t2!.result(), 11);
      assert.equal(currentTask()!.cancelling(), 0);
    });
  });

  test("parent cancelled, children fail in their cleanup: ExceptionGroup, not CancelledError (test_taskgroup_08)", async () => {
    await runVirtual(async () => {
      const { task: r, error } = await cancelAfterOne(() =>
        taskGroup(async (g) => {
          for (let i = 0; i < 3; i++) g.createTask(failsInCleanup);
          await sleep(10);
        }),
      );
      assert.deepEqual(names(error), [
        "ZeroDivisionError",
        "ZeroDivisionError",
        "ZeroDivisionError",
      ]);
      // The task failed (it is not cancelled) and the outside request is still counted.
      assert.deepEqual([r.cancelled(), r.cancelling()], [false, 1]);
    });
  });

  test("nested groups, parent cancelled: the inner group's errors come nested (test_taskgroup_12)", async () => {
    await runVirtual(async () => {
      const { error } = await cancelAfterOne(() =>
        taskGroup(async (g1) => {
          g1.createTask(() => sleep(10));
          await taskGroup(async (g2) => {
            for (let i = 0; i < 2; i++) g2.createTask(failsInCleanup);
            await sleep(10);
          });
        }),
      );
      assert.deepEqual(names(error), ["EG[ZeroDivisionError, ZeroDivisionError]"]);
    });
  });

  test("nested groups: whichever crashes first decides the nesting (test_taskgroup_13, _14)", async () => {
    await runVirtual(async () => {
      const runner = (outer: number, inner: number) =>
        taskGroup(async (g1) => {
          g1.createTask(() => crashAfter(outer));
          await taskGroup(async (g2) => {
            g2.createTask(() => crashAfter(inner));
          });
        });
      // The outer child first: the inner group is only cancelled, so it adds nothing.
      assert.deepEqual(names(await createTask(() => runner(1, 10)).catch((e) => e)), [
        "RangeError",
      ]);
      // The inner child first: its group fails and the outer group reports that failure.
      assert.deepEqual(names(await createTask(() => runner(10, 1)).catch((e) => e)), [
        "EG[RangeError]",
      ]);
    });
  });

  test("a child crash interrupts the body's cleanup after an outside cancel (test_taskgroup_15, _16)", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const nestedRunner = () =>
        taskGroup(async (g1) => {
          g1.createTask(async () => {
            await sleep(3);
            log.at("crash");
            throw new ZeroDivisionError();
          });
          try {
            await sleep(10);
          } catch {
            log.at("body cancelled");
            try {
              await sleep(5);
            } catch (e) {
              log.at("cleanup cancelled");
              throw e;
            }
            log.at("cleanup done");
            throw new Error("not reached");
          }
        });
      for (const fn of [nestedRunner, () => createTask(nestedRunner)]) {
        log.entries.length = 0;
        const t0 = getRunningLoop().time();
        const { task: r, error } = await cancelAfterOne(fn);
        assert.deepEqual(names(error), ["ZeroDivisionError"]);
        assert.equal(r.cancelled(), false);
        assert.deepEqual(log.entries, [
          `${t0 + 1}: body cancelled`,
          `${t0 + 3}: crash`,
          `${t0 + 3}: cleanup cancelled`,
        ]);
      }
    });
  });

  test("a body that turns its cancellation into an error: ExceptionGroup of it (test_taskgroup_18)", async () => {
    await runVirtual(async () => {
      const { error } = await cancelAfterOne(() =>
        taskGroup(async () => {
          try {
            await sleep(10);
          } catch {
            throw new TypeError("mine");
          }
        }),
      );
      assert.deepEqual(names(error), ["TypeError"]);
    });
  });

  /** A group whose child crashes at 1 while the body's cleanup throws `cleanupError` (test_taskgroup_19, _20). */
  const crashThenCleanupThrows = (cleanupError: Error) =>
    createTask(() =>
      taskGroup(async (g) => {
        g.createTask(async () => {
          await sleep(1);
          throw new ZeroDivisionError();
        });
        try {
          await sleep(10);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: the scenario is an error raised by cleanup
          throw cleanupError;
        }
      }),
    );

  test("a body error raised in cleanup joins the child's error, children first (test_taskgroup_19)", async () => {
    await runVirtual(async () => {
      const t = crashThenCleanupThrows(new TypeError("x"));
      assert.deepEqual(names(await t.catch((e) => e)), ["ZeroDivisionError", "TypeError"]);
      assert.equal(t.cancelling(), 0);
    });
  });

  test("KeyboardInterrupt raised by the body's cleanup wins over the child's error (test_taskgroup_20)", async () => {
    await runVirtual(async () => {
      const t = crashThenCleanupThrows(new KeyboardInterrupt("x"));
      await assert.rejects(async () => await t, KeyboardInterrupt);
      // As in CPython, the base error leaves before the group withdraws its own cancel request.
      assert.equal(t.cancelling(), 1);
    });
  });

  test("children may add children after the body ended; the group waits for them (test_taskgroup_24)", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await taskGroup(async (g) => {
        g.createTask(async () => {
          await sleep(1);
          for (const d of [1, 2]) {
            g.createTask(async () => {
              await sleep(d);
              log.at(`coro1 ${d}`);
            });
          }
        });
      });
      log.at("group done");
      assert.deepEqual(log.entries, ["2: coro1 1", "3: coro1 2", "3: group done"]);
    });
  });

  test("an error from cleanup inside the body joins the child's error; cancelling() back to 0 (test_taskgroup_context_manager_exit_raises)", async () => {
    await runVirtual(async () => {
      const error = await taskGroup(async (tg) => {
        try {
          tg.createTask(async () => {
            throw new RangeError("child");
          });
          await sleep(1);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: the scenario is an error raised by cleanup
          throw new RangeError("cleanup");
        }
      }).catch((e: unknown) => e);
      assert.deepEqual(
        (error as ExceptionGroup).exceptions.map((e) => (e as Error).message),
        ["child", "cleanup"],
      );
      assert.equal(currentTask()!.cancelling(), 0);
    });
  });

  test("nested groups both cancelled by their children: the outer request stays pending (test_nested_groups_both_cancelled)", async () => {
    await runVirtual(async () => {
      const levels: (number | string)[] = [];
      const raiseAfter = async (seconds: number, make: () => Error) => {
        await sleep(seconds);
        throw make();
      };
      const error = await taskGroup(async (outerTg) => {
        try {
          await taskGroup(async (innerTg) => {
            innerTg.createTask(() => raiseAfter(0, () => new TypeError("inner")));
            outerTg.createTask(() => raiseAfter(0, () => new RangeError("outer")));
          });
        } catch (e) {
          assert.deepEqual(names(e), ["TypeError"]);
          levels.push(currentTask()!.cancelling());
        }
        levels.push(currentTask()!.cancelling());
        try {
          await sleep(0);
          levels.push("not reached");
        } catch (e) {
          levels.push((e as Error).name);
          throw e;
        }
      }).catch((e: unknown) => e);
      assert.deepEqual(names(error), ["RangeError"]);
      assert.deepEqual(levels, [1, 1, "CancelledError"]);
      assert.equal(currentTask()!.cancelling(), 0);
    });
  });

  test("a child error and an outside cancel: ExceptionGroup, cancelling() stays 1, next await cancelled (test_error_and_cancel)", async () => {
    await runVirtual(async () => {
      const levels: (number | string)[] = [];
      let started!: () => void;
      const ready = new Promise<void>((resolve) => {
        started = resolve;
      });
      const inner = createTask(async () => {
        try {
          await taskGroup(async (tg) => {
            tg.createTask(async () => {
              // CPython's child awaits sleep(0) between the two; here sleep(0) would let the
              // cancelled body abort the child first (sleep(0) yields to every ready task).
              started();
              throw new TypeError("child");
            });
            await sleep(1);
            levels.push("body not cancelled");
          });
        } catch (e) {
          assert.deepEqual(names(e), ["TypeError"]);
          levels.push(currentTask()!.cancelling());
        }
        try {
          await sleep(1);
        } catch (e) {
          levels.push("cancelled at next await");
          throw e;
        }
      });
      await ready;
      assert.equal(inner.cancelling(), 0);
      inner.cancel();
      assert.equal(inner.cancelling(), 1);
      await assert.rejects(async () => await inner, CancelledError);
      assert.equal(inner.cancelled(), true);
      assert.deepEqual(levels, [1, "cancelled at next await"]);
    });
  });
  test("the parent cancelled twice while the group waits for a slow cleanup: CancelledError once the child is done", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const t = createTask(async () => {
        await taskGroup(async (tg) => {
          tg.createTask(async () => {
            try {
              await sleep(10);
            } catch (e) {
              log.at("child cancelled");
              await sleep(3); // a slow cleanup; the second cancel does not reach it
              log.at("child cleanup done");
              throw e;
            }
          });
        });
        log.at("after the group (not reached)");
      });
      await sleep(1);
      t.cancel();
      await sleep(1);
      t.cancel();
      await assert.rejects(async () => await t, CancelledError);
      log.at(`cancelling=${t.cancelling()} cancelled=${t.cancelled()}`);
      assert.deepEqual(log.entries, [
        "1: child cancelled",
        "4: child cleanup done",
        "4: cancelling=2 cancelled=true",
      ]);
    });
  });

  test("a timeout inside the body expires without disturbing the group's children", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          await sleep(3);
          log.at("child done");
        });
        await timeout(1, () => sleep(10)).catch((e: Error) => log.at(`body ${e.name}`));
      });
      log.at("group done");
      assert.deepEqual(log.entries, ["1: body TimeoutError", "3: child done", "3: group done"]);
    });
  });
  test("documented difference: a child woken at the deadline of a timeout around its group runs on", async () => {
    // docs/differences.md, "Awaiters resume in microtasks": CPython 3.13 raises TimeoutError here
    // (the group's exit cancels the child at its await in the same step as the body's).
    await runVirtual(async () => {
      const log = new EventLog();
      const error = await timeout(2, () =>
        taskGroup(async (tg) => {
          tg.createTask(async () => {
            await sleep(2);
            log.at("child resumed");
            throw new RangeError("child");
          });
          await sleep(10);
        }),
      ).catch((e: unknown) => e);
      assert.deepEqual(names(error), ["RangeError"]);
      assert.deepEqual(log.entries, ["2: child resumed"]);
      assert.equal(currentTask()!.cancelling(), 0);
    });
  });
});
