/**
 * `createTask(fn, { eagerStart: true })` (asyncio 3.14's `eager_start`; 3.12's
 * `eager_task_factory`) and the internal `createObservedTask` the HTTP server builds on.
 * Expected logs were checked against CPython 3.13 with `loop.set_task_factory(
 * asyncio.eager_task_factory)` where the semantics coincide; where they cannot (an async
 * function's outcome always arrives through a promise reaction), the test says so.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  Future,
  getRunningLoop,
  sleep,
  type Task,
  taskGroup,
} from "../src/index.js";
import * as internal from "../src/internal.js";
import { createObservedTask } from "../src/internal.js";
import { captureExceptions, EventLog, runVirtual } from "./helpers.js";

describe("createTask with eagerStart", () => {
  test("runs the first step inside createTask, as the new task, then returns to the creator", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const gate = new Future<void>();
      const lazy = createTask(
        async () => {
          log.push(`lazy start current=${currentTask()?.name}`);
        },
        { name: "lazy" },
      );
      const eager = createTask(
        async () => {
          log.push(`eager start current=${currentTask()?.name}`);
          await gate;
          log.push(`eager resumed current=${currentTask()?.name}`);
          return "eager";
        },
        { name: "eager", eagerStart: true },
      );
      log.push(`created eager done=${eager.done()} current=${currentTask()?.name}`);
      gate.setResult();
      assert.equal(await eager, "eager");
      await lazy;
      // CPython 3.13 with eager_task_factory gives the same order: the eager step runs before
      // createTask returns, the lazy task (created first) starts later, from the loop.
      assert.deepEqual(log.entries, [
        "eager start current=eager",
        "created eager done=false current=main",
        "lazy start current=lazy",
        "eager resumed current=eager",
      ]);
    });
  });

  test("a function that returns or throws without a promise leaves a finished task", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const value = createTask(() => 42, { eagerStart: true });
      assert.equal(value.done(), true);
      assert.equal(value.result(), 42);
      const error = new Error("boom");
      const failed = createTask(
        () => {
          throw error;
        },
        { eagerStart: true },
      );
      // The error is the task's, not createTask's (asyncio: "boom start", then done=True).
      assert.equal(failed.done(), true);
      assert.equal(failed.exception(), error);
      value.addDoneCallback(() => log.push("done callback"));
      log.push("after addDoneCallback");
      await sleep(0);
      // Done callbacks still run from the loop, never inside createTask.
      assert.deepEqual(log.entries, ["after addDoneCallback", "done callback"]);
    });
  });

  test("an async function's task settles from its promise's reaction, in the next microtask", async () => {
    await runVirtual(async () => {
      // In CPython the coroutine finishes inside create_task (done=True at once). A JavaScript
      // async function's outcome always arrives in a promise reaction: the task is done one
      // microtask later, without waiting for the loop's ready queue.
      const task = createTask(async () => "quick", { eagerStart: true });
      const afterCreate = task.done();
      await Promise.resolve();
      assert.deepEqual([afterCreate, task.done(), task.result()], [false, true, "quick"]);
    });
  });

  test("is cancellable at its first suspension like any task", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const task = createTask(
        async () => {
          try {
            await sleep(10);
          } catch (error) {
            log.push(`caught ${(error as Error).name} at ${getRunningLoop().time()}`);
            throw error;
          }
        },
        { eagerStart: true },
      );
      await sleep(1);
      task.cancel();
      await assert.rejects(task, CancelledError);
      assert.deepEqual(log.entries, ["caught CancelledError at 1"]);
    });
  });

  test("in a TaskGroup, a child that fails in its eager step still fails the group", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      await assert.rejects(
        taskGroup(async (tg) => {
          tg.createTask(
            async () => {
              await sleep(5);
              log.push("sibling not cancelled");
            },
            { name: "sibling" },
          );
          tg.createTask(
            () => {
              throw new Error("eager failure");
            },
            { eagerStart: true },
          );
          await sleep(10);
          log.push("body not cancelled");
        }),
        (group: Error & { exceptions: Error[] }) =>
          group.exceptions.length === 1 && group.exceptions[0]!.message === "eager failure",
      );
      assert.deepEqual(log.entries, []);
    });
  });

  test("eagerStart must be a boolean", async () => {
    await runVirtual(async () => {
      assert.throws(() => createTask(async () => 1, { eagerStart: "yes" } as never), {
        name: "TypeError",
        message: 'createTask() option "eagerStart" expected a boolean, got string',
      });
    });
  });
});

describe("createObservedTask (asyncio-ts/internal)", () => {
  test("calls onSettled synchronously when the task settles: outside any task, before done callbacks and awaiters resume", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const gate = new Future<string>();
      const task = createObservedTask(
        getRunningLoop(),
        async () => `got ${await gate}`,
        { name: "observed" },
        (settled: Task<string>) =>
          log.push(`onSettled ${settled.result()} current=${currentTask()?.name ?? "none"}`),
      );
      task.addDoneCallback(() => log.push("done callback"));
      const awaiter = createTask(async () => log.push(`awaiter got ${await task}`));
      await sleep(0);
      gate.setResult("x");
      await awaiter;
      // Done callbacks and the awaiter come later, in asyncio's order (the done callback was
      // registered before the awaiter's wake-up).
      assert.deepEqual(log.entries, [
        "onSettled got x current=none",
        "done callback",
        "awaiter got got x",
      ]);
    });
  });

  test("with eagerStart, a function that finishes at once is observed before createObservedTask returns", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const task = createObservedTask(
        getRunningLoop(),
        () => 7,
        { eagerStart: true },
        (t) => log.push(`onSettled ${t.result()}`),
      );
      log.push(`returned done=${task.done()}`);
      assert.deepEqual(log.entries, ["onSettled 7", "returned done=true"]);
    });
  });

  test("observes cancellation before start, and once only", async () => {
    await runVirtual(async () => {
      const seen: string[] = [];
      const task = createObservedTask(
        getRunningLoop(),
        async () => seen.push("ran"),
        undefined,
        (t) => seen.push(`onSettled cancelled=${t.cancelled()}`),
      );
      task.cancel();
      task.cancel();
      await assert.rejects(task, CancelledError);
      await sleep(0);
      assert.deepEqual(seen, ["onSettled cancelled=true"]);
    });
  });

  test("what onSettled throws goes to the loop's exception handler; the task keeps its result", async () => {
    await runVirtual(async () => {
      const seen = captureExceptions();
      const task = createObservedTask(
        getRunningLoop(),
        async () => "kept",
        undefined,
        function observer() {
          throw new Error("observer bug");
        },
      );
      assert.equal(await task, "kept");
      assert.equal(seen.length, 1);
      assert.equal((seen[0]!.exception as Error).message, "observer bug");
      assert.match(seen[0]!.message, /observer/);
    });
  });

  test("checks its arguments, and is the only export of asyncio-ts/internal", async () => {
    assert.deepEqual(Object.keys(internal), ["createObservedTask"]);
    await runVirtual(async () => {
      assert.throws(
        () => createObservedTask(getRunningLoop(), async () => 1, undefined, null as never),
        {
          name: "TypeError",
          message: "createObservedTask() expected an onSettled function, got object",
        },
      );
      assert.throws(
        () => createObservedTask(getRunningLoop(), 5 as never, undefined, () => {}),
        TypeError,
      );
    });
  });
});
