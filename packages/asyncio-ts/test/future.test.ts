import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  Future,
  getRunningLoop,
  InvalidStateError,
  RuntimeError,
  sleep,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("Future", () => {
  test("a new future is pending and result() throws InvalidStateError", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      assert.equal(f.done(), false);
      assert.throws(() => f.result(), InvalidStateError);
      assert.throws(() => f.exception(), InvalidStateError);
      assert.match(String(f), /<Future pending>/);
    });
  });

  test("setResult makes it done; a second setResult throws InvalidStateError", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      f.setResult(42);
      assert.equal(f.done(), true);
      assert.equal(f.result(), 42);
      assert.equal(f.exception(), null);
      assert.throws(() => f.setResult(1), InvalidStateError);
      assert.throws(() => f.setException(new Error("x")), InvalidStateError);
      assert.equal(f.cancel(), false);
      assert.equal(await f, 42);
    });
  });

  test("setException: result() rethrows, exception() returns it, await rejects", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      const boom = new Error("boom");
      f.setException(boom);
      assert.equal(f.exception(), boom);
      assert.throws(() => f.result(), /boom/);
      await assert.rejects(async () => await f, /boom/);
    });
  });

  test("cancel(msg) gives CancelledError carrying the message", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      assert.equal(f.cancel("because"), true);
      assert.equal(f.cancelled(), true);
      assert.throws(
        () => f.result(),
        (e: unknown) => e instanceof CancelledError && e.message === "because",
      );
      await assert.rejects(async () => await f, CancelledError);
      assert.equal(f.cancel(), false);
    });
  });

  test("done callbacks never run synchronously inside setResult, and run in order", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const f = new Future<string>();
      f.addDoneCallback((x) => log.push(`first ${x.result()}`));
      f.addDoneCallback(() => log.push("second"));
      f.setResult("ok");
      log.push("after setResult");
      await sleep(0);
      f.addDoneCallback(() => log.push("added when done"));
      await sleep(0);
      assert.deepEqual(log.entries, ["after setResult", "first ok", "second", "added when done"]);
    });
  });

  test("removeDoneCallback removes every registration and returns the count", async () => {
    await runVirtual(async () => {
      const calls: string[] = [];
      const f = new Future<void>();
      const cb = () => calls.push("cb");
      f.addDoneCallback(cb);
      f.addDoneCallback(cb);
      f.addDoneCallback(() => calls.push("other"));
      assert.equal(f.removeDoneCallback(cb), 2);
      f.setResult();
      await sleep(0);
      assert.deepEqual(calls, ["other"]);
    });
  });

  test("an exception thrown by a done callback goes to the exception handler", async () => {
    await runVirtual(async () => {
      const seen: string[] = [];
      getRunningLoop().setExceptionHandler((_l, ctx) =>
        seen.push(`${ctx.message}: ${(ctx.exception as Error).message}`),
      );
      const f = new Future<void>();
      f.addDoneCallback(function broken() {
        throw new Error("cb failed");
      });
      f.setResult();
      await sleep(0);
      assert.deepEqual(seen, [`Exception in callback broken of ${f}: cb failed`]);
    });
  });

  test("a task awaiting a future that is cancelled gets CancelledError", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const f = loop.createFuture<number>();
      loop.callLater(1, () => f.cancel("nope"));
      await assert.rejects(
        async () => await f,
        (e: unknown) => e instanceof CancelledError && e.message === "nope",
      );
    });
  });

  test("catch and finally work like a promise's", async () => {
    await runVirtual(async () => {
      const f = new Future<number>();
      f.setException(new RangeError("r"));
      const order: string[] = [];
      const caught = await f.finally(() => order.push("finally")).catch((e: Error) => e.name);
      assert.equal(caught, "RangeError");
      assert.deepEqual(order, ["finally"]);
    });
  });

  test("a task awaiting itself fails with RuntimeError instead of deadlocking", async () => {
    await runVirtual(async () => {
      const { createTask } = await import("../src/index.js");
      const holder: { t?: Future<unknown> } = {};
      const t = createTask(async () => {
        await sleep(0);
        await holder.t;
      });
      holder.t = t;
      await assert.rejects(async () => await t, RuntimeError);
    });
  });
});
