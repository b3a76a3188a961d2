import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  ExceptionGroup,
  getRunningLoop,
  KeyboardInterrupt,
  RuntimeError,
  sleep,
  type TaskGroup,
  TimeoutError,
  taskGroup,
  timeout,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}

describe("taskGroup", () => {
  test("waits for every child and returns the body's value (test_taskgroup_01)", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const result = await taskGroup(async (tg) => {
        const t1 = tg.createTask(async () => {
          await sleep(1);
          log.at("t1");
          return 42;
        });
        const t2 = tg.createTask(async () => {
          await sleep(2);
          log.at("t2");
          return 11;
        });
        log.at("body done");
        return [t1, t2] as const;
      });
      assert.deepEqual([await result[0], await result[1]], [42, 11]);
      assert.deepEqual(log.entries, ["0: body done", "1: t1", "2: t2"]);
    });
  });

  test("the first child error cancels the siblings and the body; errors come as one ExceptionGroup", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const error = await taskGroup(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(10);
          } catch (e) {
            log.at(`sibling ${(e as Error).name}`);
            throw e;
          }
        });
        tg.createTask(async () => {
          await sleep(1);
          throw new ZeroDivisionError("division by zero");
        });
        try {
          await sleep(10);
        } catch (e) {
          log.at(`body ${(e as Error).name}`);
          throw e;
        }
      }).catch((e: unknown) => e);
      assert.ok(error instanceof ExceptionGroup);
      assert.equal(error.exceptions.length, 1);
      assert.ok(error.exceptions[0] instanceof ZeroDivisionError);
      assert.match(error.message, /unhandled errors in a TaskGroup \(1 sub-exception\)/);
      assert.deepEqual(log.entries, ["1: sibling CancelledError", "1: body CancelledError"]);
      assert.equal(
        currentTask()!.cancelling(),
        0,
        "the group withdrew its own cancellation of the parent",
      );
    });
  });

  test("several failing children are all reported", async () => {
    await runVirtual(async () => {
      const error = await taskGroup(async (tg) => {
        tg.createTask(async () => {
          throw new TypeError("a");
        });
        tg.createTask(async () => {
          throw new RangeError("b");
        });
      }).catch((e: unknown) => e);
      assert.ok(error instanceof ExceptionGroup);
      assert.deepEqual(
        error.exceptions.map((e) => (e as Error).name),
        ["TypeError", "RangeError"],
      );
    });
  });

  test("an error in the body cancels the children and is grouped with theirs", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const error = await taskGroup(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(10);
          } finally {
            log.at("child cleanup");
          }
        });
        await sleep(1);
        throw new SyntaxError("body failed");
      }).catch((e: unknown) => e);
      assert.ok(error instanceof ExceptionGroup);
      assert.ok(error.exceptions[0] instanceof SyntaxError);
      assert.deepEqual(log.entries, ["1: child cleanup"]);
    });
  });

  test("outside cancellation with no child failure propagates as CancelledError", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const outer = createTask(() =>
        taskGroup(async (tg) => {
          tg.createTask(async () => {
            try {
              await sleep(10);
            } finally {
              log.at("child cleanup");
            }
          });
          await sleep(10);
        }),
      );
      await sleep(1);
      outer.cancel();
      await assert.rejects(async () => await outer, CancelledError);
      assert.deepEqual(log.entries, ["1: child cleanup"]);
    });
  });

  test("outside cancellation while the group waits for its children cancels them", async () => {
    await runVirtual(async () => {
      const child = { task: undefined as unknown as ReturnType<typeof createTask> };
      const outer = createTask(() =>
        taskGroup(async (tg) => {
          child.task = tg.createTask(() => sleep(10));
          // the body ends at once; the group then waits for the child
        }),
      );
      await sleep(1);
      outer.cancel();
      await assert.rejects(async () => await outer, CancelledError);
      assert.equal(child.task.cancelled(), true);
      assert.equal(getRunningLoop().time(), 1);
    });
  });

  test("errors plus an outside cancellation: ExceptionGroup now, the cancellation at the next await", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const outer = createTask(async () => {
        try {
          await taskGroup(async (tg) => {
            tg.createTask(async () => {
              try {
                await sleep(10);
              } catch {
                throw new Error("cleanup failed"); // the cancelled child's cleanup fails
              }
            });
            await sleep(10);
          });
        } catch (e) {
          log.at(`group: ${(e as Error).name}`);
        }
        try {
          await sleep(1);
          log.at("not reached");
        } catch (e) {
          log.at(`next await: ${(e as Error).name}`);
          throw e;
        }
      });
      await sleep(1);
      outer.cancel();
      await assert.rejects(async () => await outer, CancelledError);
      assert.deepEqual(log.entries, ["1: group: ExceptionGroup", "1: next await: CancelledError"]);
    });
  });

  test("nested groups: the inner group's ExceptionGroup is nested in the outer one", async () => {
    await runVirtual(async () => {
      const error = await taskGroup(async (outer) => {
        outer.createTask(() =>
          taskGroup(async (inner) => {
            inner.createTask(async () => {
              await sleep(1);
              throw new Error("deep");
            });
          }),
        );
        await sleep(5);
      }).catch((e: unknown) => e);
      assert.ok(error instanceof ExceptionGroup);
      const nested = error.exceptions[0];
      assert.ok(nested instanceof ExceptionGroup);
      assert.equal((nested.exceptions[0] as Error).message, "deep");
      assert.equal(getRunningLoop().time(), 1);
    });
  });

  test("a timeout around a group: expiry cancels the children and raises TimeoutError", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await assert.rejects(
        timeout(2, () =>
          taskGroup(async (tg) => {
            for (const name of ["a", "b"]) {
              tg.createTask(async () => {
                try {
                  await sleep(10);
                } finally {
                  log.at(`${name} cancelled`);
                }
              });
            }
          }),
        ),
        TimeoutError,
      );
      assert.deepEqual(log.entries, ["2: a cancelled", "2: b cancelled"]);
    });
  });

  test("KeyboardInterrupt in a child is raised as is, not grouped", async () => {
    await runVirtual(async () => {
      await assert.rejects(
        taskGroup(async (tg) => {
          tg.createTask(async () => {
            throw new KeyboardInterrupt("ctrl-c");
          });
          await sleep(1);
        }),
        KeyboardInterrupt,
      );
    });
  });

  test("misuse: creating a task after the group finished, or while it shuts down", async () => {
    await runVirtual(async () => {
      let saved: TaskGroup | undefined;
      await taskGroup(async (tg) => {
        saved = tg;
      });
      assert.throws(() => saved!.createTask(async () => 1), /is finished/);
      let shuttingDown: unknown;
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          throw new Error("x");
        });
        try {
          await sleep(1);
        } catch {
          try {
            tg.createTask(async () => 1);
          } catch (e) {
            shuttingDown = e;
          }
        }
      }).catch(() => undefined);
      assert.ok(shuttingDown instanceof RuntimeError);
      assert.match((shuttingDown as Error).message, /shutting down/);
      await assert.rejects(taskGroup(5 as never), /expected a body function/);
    });
  });

  test("outside any task the body runs in a fresh task", async () => {
    const names = await taskGroup(async (tg) => {
      const child = tg.createTask(async () => currentTask()?.name, { name: "child" });
      return child;
    });
    assert.equal(await names, "child");
  });
});
