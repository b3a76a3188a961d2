import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  allTasks,
  CancelledError,
  cancellable,
  createTask,
  currentTask,
  ensureFuture,
  Future,
  getRunningLoop,
  RuntimeError,
  sleep,
  Task,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("createTask", () => {
  test("the function starts after createTask returns, tasks start in creation order", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const a = createTask(async () => log.push("A starts"));
      const b = createTask(async () => log.push("B starts"));
      log.push("tasks created");
      await a;
      await b;
      assert.deepEqual(log.entries, ["tasks created", "A starts", "B starts"]);
    });
  });

  test("seed 004: create_task prints in the documented order", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const task = async (name: string, seconds: number) => {
        log.push(`${name} start`);
        await sleep(seconds);
        log.push(`${name} done`);
        return name;
      };
      const t1 = createTask(() => task("A", 2));
      const t2 = createTask(() => task("B", 1));
      log.push("tasks created");
      log.push(`result: ${await t1}, ${await t2}`);
      assert.deepEqual(log.entries, [
        "tasks created",
        "A start",
        "B start",
        "B done",
        "A done",
        "result: A, B",
      ]);
      assert.equal(getRunningLoop().time(), 2);
    });
  });

  test("names: default Task-<n>, custom names, writable", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => 1, { name: "worker" });
      assert.equal(t.name, "worker");
      t.name = "renamed";
      assert.match(String(t), /<Task pending name="renamed">/);
      const anon = createTask(async () => 1);
      assert.match(anon.name, /^Task-\d+$/);
      await t;
      await anon;
      assert.match(String(t), /finished result=1/);
    });
  });

  test("bad input: a non-function is a TypeError naming what arrived", async () => {
    await runVirtual(async () => {
      assert.throws(
        () => createTask(Promise.resolve(1) as never),
        /createTask\(\) expected a function .* got a promise/,
      );
      assert.throws(() => createTask(42 as never), /got the number 42/);
    });
  });

  test("setResult and setException on a task throw RuntimeError", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => 1);
      assert.throws(() => t.setResult(2), RuntimeError);
      assert.throws(() => t.setException(new Error()), RuntimeError);
      assert.equal(await t, 1);
    });
  });

  test("a synchronous function's return value and throw become the task's outcome", async () => {
    await runVirtual(async () => {
      assert.equal(await createTask(() => 7), 7);
      await assert.rejects(
        async () =>
          await createTask(() => {
            throw new TypeError("sync");
          }),
        TypeError,
      );
    });
  });
});

describe("Task.cancel", () => {
  test("a task cancelled before it starts never runs its function", async () => {
    await runVirtual(async () => {
      let ran = false;
      const t = createTask(async () => {
        ran = true;
      });
      assert.equal(t.cancel(), true);
      await assert.rejects(async () => await t, CancelledError);
      assert.equal(ran, false);
      assert.equal(t.cancelled(), true);
    });
  });

  test("cancel(msg) throws CancelledError(msg) at the task's await", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const t = createTask(async () => {
        try {
          await sleep(10);
        } catch (e) {
          log.at(`caught ${(e as Error).name}: ${(e as Error).message}`);
          throw e;
        }
      });
      await sleep(1);
      t.cancel("stop now");
      await assert.rejects(
        async () => await t,
        (e: unknown) => e instanceof CancelledError && e.message === "stop now",
      );
      assert.deepEqual(log.entries, ["1: caught CancelledError: stop now"]);
      assert.equal(getRunningLoop().time(), 1, "the cancelled sleep did not keep the clock busy");
    });
  });

  test("cancel() of a done task returns false", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => 1);
      await t;
      assert.equal(t.cancel(), false);
      assert.equal(t.cancelling(), 0);
    });
  });

  test("cancelling() counts requests and uncancel() withdraws them", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => {
        try {
          await sleep(10);
        } catch {
          // swallow the first cancellation
        }
        return currentTask()!.cancelling();
      });
      await sleep(0);
      t.cancel();
      t.cancel();
      assert.equal(t.cancelling(), 2);
      assert.equal(await t, 2);
    });
  });

  test("uncancel() to zero drops a pending cancellation (3.13)", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const t = createTask(async () => {
        await cancellable(Promise.resolve()); // a foreign await: the cancel stays pending
        const me = currentTask()!;
        me.cancel();
        log.push(`pending: ${me.cancelling()}`);
        log.push(`after uncancel: ${me.uncancel()}`);
        await sleep(1); // not interrupted
        return "finished";
      });
      assert.equal(await t, "finished");
      assert.deepEqual(log.entries, ["pending: 1", "after uncancel: 0"]);
    });
  });

  test("a task that catches CancelledError and goes on is not cancelled (test_cancel_task_ignoring)", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const f1 = loop.createFuture<void>();
      const f2 = loop.createFuture<void>();
      const f3 = loop.createFuture<number>();
      const t = createTask(async () => {
        await f1;
        try {
          await f2;
        } catch (e) {
          assert.ok(e instanceof CancelledError);
        }
        return await f3;
      });
      await sleep(0);
      f1.setResult();
      await sleep(0);
      t.cancel();
      assert.equal(f2.cancelled(), true, "cancel() cancelled the future the task awaited");
      await sleep(0);
      assert.equal(f3.cancelled(), false, "the cancellation was delivered once");
      f3.setResult(42);
      assert.equal(await t, 42);
      assert.equal(t.cancelled(), false);
    });
  });

  test("awaiting a task and being cancelled cancels the awaited task", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const inner = createTask(async () => {
        try {
          await sleep(10);
        } finally {
          log.at("inner cleanup");
        }
      });
      const outer = createTask(async () => {
        await inner;
      });
      await sleep(1);
      outer.cancel();
      await assert.rejects(async () => await outer, CancelledError);
      assert.equal(inner.cancelled(), true);
      assert.deepEqual(log.entries, ["1: inner cleanup"]);
    });
  });

  test("cancel while running foreign code: delivered at the next library await", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const t = createTask(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve)); // foreign
        log.push("foreign await finished");
        try {
          await sleep(5);
          log.push("not reached");
        } catch (e) {
          log.push(`next library await: ${(e as Error).name}`);
          throw e;
        }
      });
      await sleep(0);
      t.cancel();
      await assert.rejects(async () => await t, CancelledError);
      assert.deepEqual(log.entries, [
        "foreign await finished",
        "next library await: CancelledError",
      ]);
    });
  });

  // The request reached the task while it awaited foreign code, which is not a cancellation
  // point; its function then returned before any library await. The work is done: its result is
  // kept (it may be an item got from a queue), as for a task that caught the CancelledError.
  test("a function that returns while another's cancel is pending ends with its result", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        return "value";
      });
      await sleep(0);
      assert.equal(t.cancel(), true);
      assert.equal(await t, "value");
      assert.deepEqual([t.cancelled(), t.cancelling()], [false, 1]);
    });
  });

  // CPython 3.13: async def f(): await sleep(0); current_task().cancel(); return "value" ->
  // the task ends cancelled ("cancelled right before coro stops").
  test("a function that cancels itself right before returning ends cancelled", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => {
        await sleep(0);
        currentTask()!.cancel();
        return "value";
      });
      await assert.rejects(async () => await t, CancelledError);
      assert.equal(t.cancelled(), true);
    });
  });

  test("createTask(() => sleep(n)) is cancellable although the function does not await", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(100));
      await sleep(1);
      t.cancel();
      await assert.rejects(async () => await t, CancelledError);
      assert.equal(getRunningLoop().time(), 1);
    });
  });

  test("signal aborts on cancel, with a CancelledError reason; fresh after uncancel", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(10));
      await sleep(0);
      const signal = t.signal;
      assert.equal(signal.aborted, false);
      t.cancel("bye");
      assert.equal(signal.aborted, true);
      assert.ok(signal.reason instanceof CancelledError);
      assert.equal((signal.reason as Error).message, "bye");
      t.uncancel();
      assert.notEqual(t.signal, signal);
      assert.equal(t.signal.aborted, false);
      await assert.rejects(async () => await t, CancelledError);
    });
  });

  test("a signal read after cancel() is already aborted", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(10));
      await sleep(0);
      t.cancel();
      assert.equal(t.signal.aborted, true);
      await assert.rejects(async () => await t, CancelledError);
    });
  });
});

describe("currentTask, allTasks, ensureFuture, cancellable", () => {
  test("currentTask is the running task, undefined outside", async () => {
    assert.equal(currentTask(), undefined);
    await runVirtual(async () => {
      const main = currentTask();
      assert.equal(main?.name, "main");
      // (Returning the task itself would be flattened by JavaScript into a self-await.)
      const child = createTask(async () => currentTask()?.name, { name: "child" });
      assert.equal(await child, "child");
    });
  });

  test("allTasks lists the pending tasks of the running loop", async () => {
    await runVirtual(async () => {
      const t = createTask(() => sleep(1));
      const names = [...allTasks()].map((x) => x.name);
      assert.ok(names.includes("main"));
      assert.ok(names.includes(t.name));
      await t;
      assert.equal(allTasks().has(t), false);
    });
  });

  test("ensureFuture: futures as is, functions become tasks, promises are adopted", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      assert.equal(ensureFuture(f), f);
      const fromFn = ensureFuture(async () => 2);
      assert.ok(fromFn instanceof Task);
      const fromPromise = ensureFuture(Promise.resolve(3));
      assert.ok(fromPromise instanceof Future);
      assert.equal((await fromFn) + (await fromPromise), 5);
      assert.throws(
        () => ensureFuture(5 as never),
        /ensureFuture\(\) expected .* got the number 5/,
      );
    });
  });

  test("cancellable() makes a foreign promise a cancellation point", async () => {
    await runVirtual(async () => {
      let resolveForeign!: () => void;
      const foreign = new Promise<void>((resolve) => {
        resolveForeign = resolve;
      });
      const t = createTask(() => cancellable(foreign));
      await sleep(0);
      t.cancel();
      await assert.rejects(async () => await t, CancelledError);
      resolveForeign();
    });
  });
});

describe("sleep", () => {
  test("returns the result after the delay; negative delays act as 0", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      assert.equal(await sleep(2, "r"), "r");
      assert.equal(loop.time(), 2);
      await sleep(-5);
      assert.equal(loop.time(), 2);
    });
  });

  test("sleep(0) lets every other ready task run first", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      createTask(async () => {
        log.push("other 1");
        await Promise.resolve();
        log.push("other 2");
      });
      await sleep(0);
      log.push("after sleep(0)");
      assert.deepEqual(log.entries, ["other 1", "other 2", "after sleep(0)"]);
    });
  });

  test("a sleep made but never awaited and then cancelled does not become an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await runVirtual(async () => {
        const t = createTask(async () => {
          void sleep(5); // made, never awaited: it is still the task's waiter (docs/differences.md)
          await new Promise<void>((resolve) => setImmediate(resolve)); // foreign
          return "finished";
        });
        await sleep(0);
        t.cancel();
        await t.catch(() => undefined);
        await new Promise<void>((resolve) => setImmediate(resolve));
      });
    } finally {
      process.removeListener("unhandledRejection", onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });

  test("bad delays: NaN is a RangeError, a string a TypeError", async () => {
    await runVirtual(async () => {
      await assert.rejects(sleep(Number.NaN), RangeError);
      await assert.rejects(sleep("1" as never), TypeError);
    });
  });
});
