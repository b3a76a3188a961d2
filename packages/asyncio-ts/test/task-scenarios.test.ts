// Task cancellation scenarios ported from CPython 3.13's test_tasks.py (BaseTaskTests); the
// expected outcomes are what CPython 3.13.0 prints for the same program.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  gather,
  getRunningLoop,
  shield,
  sleep,
  type Task,
  TimeoutError,
  taskGroup,
  timeout,
  waitFor,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

describe("Task.cancel, CPython 3.13 scenarios", () => {
  test("a task that cancels itself and then awaits a subtask cancels the subtask and its future (test_cancel_awaited_task)", async () => {
    await runVirtual(async () => {
      const fut = getRunningLoop().createFuture<void>();
      let nested: Task<void> | undefined;
      const task = createTask(async () => {
        nested = createTask(async () => {
          await fut;
        });
        await sleep(0);
        currentTask()!.cancel();
        await nested;
      });
      await assert.rejects(async () => await task, CancelledError);
      await sleep(0);
      assert.deepEqual(
        [task.cancelled(), nested!.cancelled(), fut.cancelled()],
        [true, true, true],
      );
    });
  });

  test("a task that cancels itself and returns ends cancelled (test_cancel_at_end)", async () => {
    await runVirtual(async () => {
      const task = createTask(async () => {
        currentTask()!.cancel();
        return 12;
      });
      await assert.rejects(async () => await task, CancelledError);
      assert.deepEqual([task.cancelled(), task.cancel()], [true, false]);
    });
  });

  test("a task catching the CancelledError of its waiter returns normally; the request stays counted (test_cancel_task_catching)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fut1 = loop.createFuture<void>();
      const fut2 = loop.createFuture<void>();
      const task = createTask(async () => {
        await fut1;
        try {
          await fut2;
        } catch {
          return 42;
        }
        return 0;
      });
      await sleep(0);
      fut1.setResult();
      await sleep(0);
      task.cancel();
      assert.equal(fut2.cancelled(), true);
      assert.equal(await task, 42);
      assert.deepEqual([task.cancelled(), task.cancelling()], [false, 1]);
    });
  });

  test("cancel() then uncancel() before the task resumes: it resumes normally (test_uncancel_resets_must_cancel)", async () => {
    await runVirtual(async () => {
      const fut = getRunningLoop().createFuture<void>();
      const task = createTask(async () => {
        await fut;
        return 42;
      });
      await sleep(0);
      fut.setResult(); // the task is runnable but has not resumed yet
      task.cancel();
      assert.equal(task.cancelling(), 1);
      task.uncancel();
      assert.equal(task.cancelling(), 0);
      assert.equal(await task, 42);
    });
  });

  test("the awaited future and the task both cancelled: the task ends cancelled (test_cancel_both_task_and_inner_future)", async () => {
    await runVirtual(async () => {
      const fut = getRunningLoop().createFuture<void>();
      const task = createTask(async () => {
        await fut;
        return 12;
      });
      await sleep(0);
      fut.cancel();
      task.cancel();
      await assert.rejects(async () => await task, CancelledError);
      assert.deepEqual([task.cancelled(), fut.cancelled()], [true, true]);
    });
  });

  test("cancelling a gather(returnExceptions) with one child done cancels the rest and raises (test_result_exception_one_cancellation)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const a = loop.createFuture<number>();
      const b = loop.createFuture<number>();
      const g = gather([a, b], { returnExceptions: true });
      a.setResult(1);
      await sleep(0);
      assert.equal(g.cancel(), true);
      await assert.rejects(async () => await g, CancelledError);
      assert.deepEqual([a.result(), b.cancelled()], [1, true]);
    });
  });
  test("a cancel message reaches the awaiter through taskGroup, timeout and shield; waitFor cancels a future it times out", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const fut = loop.createFuture<number>();
      const scopes: [string, () => Promise<unknown>][] = [
        ["taskGroup", () => taskGroup(async (tg) => void tg.createTask(() => sleep(10)))],
        ["timeout", () => timeout(1, () => sleep(10))],
        ["shield", () => shield(fut)],
      ];
      for (const [name, scope] of scopes) {
        const t = createTask(scope);
        await sleep(0.5);
        t.cancel("bye");
        await assert.rejects(async () => await t, { name: "CancelledError", message: "bye" }, name);
      }
      assert.equal(fut.cancelled(), false, "the shielded future is untouched");
      const awaited = loop.createFuture<number>();
      await assert.rejects(waitFor(awaited, 1), TimeoutError);
      assert.equal(awaited.cancelled(), true);
    });
  });

  test("a group whose parent task has a pending cancellation cancels its children at the exit", async () => {
    await runVirtual(async () => {
      const log: string[] = [];
      const t = createTask(async () => {
        currentTask()!.cancel();
        await taskGroup(async (tg) => {
          tg.createTask(async () => {
            try {
              await sleep(5);
            } catch (e) {
              log.push(`child ${(e as Error).name}`);
              throw e;
            }
          });
        });
        log.push("not reached");
      });
      await assert.rejects(async () => await t, CancelledError);
      assert.deepEqual(log, ["child CancelledError"]);
      assert.equal(t.cancelled(), true);
    });
  });
});
