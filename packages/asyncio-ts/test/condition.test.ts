// Condition: CPython 3.13's test_locks.py ConditionTests, ported (virtual clock, event logs).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  Condition,
  createTask,
  gather,
  getRunningLoop,
  Lock,
  RuntimeError,
  sleep,
  TimeoutError,
  timeout,
  waitFor,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

describe("Condition", () => {
  test("toString and statistics", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      assert.equal(String(cond), "<Condition [unlocked]>");
      await cond.acquire();
      assert.equal(String(cond), "<Condition [locked]>");
      const t = createTask(async () => {
        await cond.acquire();
        await cond.wait();
        cond.release();
      });
      cond.release();
      await sleep(0);
      assert.equal(String(cond), "<Condition [unlocked, waiters:1]>");
      assert.equal(cond.statistics().waiters, 1);
      await cond.acquire();
      cond.notify();
      cond.release();
      await t;
    });
  });

  test("notify wakes waiters one at a time, each re-acquiring the lock (test_wait)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const c = (n: number) => async () => {
        await cond.acquire();
        if (await cond.wait()) result.push(n);
        cond.release();
      };
      const tasks = [createTask(c(1)), createTask(c(2)), createTask(c(3))];
      await sleep(0);
      assert.deepEqual(result, []);
      assert.equal(cond.locked(), false);
      assert.equal(await cond.acquire(), true);
      cond.notify();
      await sleep(0);
      assert.deepEqual(result, []);
      assert.equal(cond.locked(), true);
      cond.release();
      await sleep(0);
      assert.deepEqual(result, [1]);
      assert.equal(await cond.acquire(), true);
      cond.notify(2);
      await sleep(0);
      assert.deepEqual(result, [1]);
      cond.release();
      await sleep(0);
      assert.deepEqual(result, [1, 2, 3]);
      await gather(tasks);
    });
  });

  test("a cancelled wait re-acquires the lock and leaves no waiter (test_wait_cancel)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      await cond.acquire();
      const wait = createTask(() => cond.wait());
      getRunningLoop().callSoon(() => wait.cancel());
      await assert.rejects(wait, CancelledError);
      assert.equal(cond.statistics().waiters, 0);
      assert.equal(cond.locked(), true);
    });
  });

  test("notified, then cancelled while the lock is contested (test_wait_cancel_contested)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      await cond.acquire();
      const waitTask = createTask(() => cond.wait());
      await sleep(0);
      assert.equal(cond.locked(), false);
      await cond.acquire();
      cond.notify();
      getRunningLoop().callSoon(() => waitTask.cancel());
      getRunningLoop().callSoon(() => cond.release());
      await waitTask.catch((e) => assert.ok(e instanceof CancelledError));
      assert.equal(cond.locked(), true); // the waiter holds the lock again either way
    });
  });

  test("cancelled while re-acquiring after a notify (test_wait_cancel_after_notify)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      let waited = false;
      const waiter = createTask(async () => {
        await using _ = await cond.hold();
        waited = true;
        await cond.wait();
      });
      await sleep(0);
      await cond.acquire();
      cond.notify();
      await sleep(0);
      waiter.cancel();
      await sleep(0);
      cond.release();
      await sleep(0);
      await waiter.catch(() => {});
      assert.ok(waiter.cancelled());
      assert.ok(waited);
      assert.equal(cond.locked(), false);
    });
  });

  test("wait, notify and notifyAll without the lock are RuntimeErrors", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      await assert.rejects(cond.wait(), {
        name: "RuntimeError",
        message: /Condition\.wait\(\) called without holding the lock: <Condition \[unlocked\]>/,
      });
      await assert.rejects(
        cond.waitFor(() => false),
        RuntimeError,
      );
      assert.throws(() => cond.notify(), RuntimeError);
      assert.throws(() => cond.notifyAll(), RuntimeError);
      assert.throws(() => new Condition({} as Lock), TypeError);
    });
  });

  test("waitFor re-checks the predicate after each wake-up (test_wait_for)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      let presult = false;
      const result: number[] = [];
      const t = createTask(async () => {
        await cond.acquire();
        if (await cond.waitFor(() => presult)) result.push(1);
        cond.release();
      });
      await sleep(0);
      await cond.acquire();
      cond.notify();
      cond.release();
      await sleep(0);
      assert.deepEqual(result, []);
      presult = true;
      await cond.acquire();
      cond.notify();
      cond.release();
      await sleep(0);
      assert.deepEqual(result, [1]);
      await t;
    });
  });

  test("notifyAll wakes everybody (test_notify_all)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      const result: number[] = [];
      const c = (n: number) => async () => {
        await cond.acquire();
        if (await cond.wait()) result.push(n);
        cond.release();
      };
      const tasks = [createTask(c(1)), createTask(c(2))];
      await sleep(0);
      await cond.acquire();
      cond.notifyAll();
      cond.release();
      await gather(tasks);
      assert.deepEqual(result, [1, 2]);
    });
  });

  test("an explicit lock is shared (test_explicit_lock)", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      const cond = new Condition(lock);
      await lock.acquire();
      assert.equal(cond.locked(), true);
      cond.release();
      assert.equal(lock.locked(), false);
      {
        await using _ = await cond.hold();
        assert.equal(lock.locked(), true);
      }
      assert.equal(lock.locked(), false);
    });
  });

  test("waitFor(() => cond.wait(), t) times out holding the lock again (test_timeout_in_block)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      await using _ = await cond.hold();
      await assert.rejects(
        waitFor(() => cond.wait(), 0.5),
        TimeoutError,
      );
      assert.equal(cond.locked(), true);
      assert.equal(cond.statistics().waiters, 0);
    });
  });

  test("a CancelledError received while waiting is re-thrown unmodified (test_cancelled_error_wakeup)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      let raised: unknown;
      const task = createTask(async () => {
        await using _ = await cond.hold();
        try {
          await cond.waitFor(() => false);
        } catch (e) {
          raised = e;
          throw e;
        }
      });
      await sleep(0);
      task.cancel("foo");
      const err = await task.then(
        () => assert.fail("must be cancelled"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof CancelledError);
      assert.equal(err.message, "foo");
      assert.equal(err, raised);
    });
  });

  test("a CancelledError received while re-acquiring is re-thrown unmodified (test_cancelled_error_re_aquire)", async () => {
    await runVirtual(async () => {
      const cond = new Condition();
      let wake = false;
      let raised: unknown;
      const task = createTask(async () => {
        await using _ = await cond.hold();
        try {
          await cond.waitFor(() => wake);
        } catch (e) {
          raised = e;
          throw e;
        }
      });
      await sleep(0);
      await cond.acquire();
      wake = true;
      cond.notify();
      await sleep(0);
      task.cancel("foo");
      cond.release();
      const err = await task.then(
        () => assert.fail("must be cancelled"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof CancelledError);
      assert.equal(err.message, "foo");
      assert.equal(err, raised);
    });
  });

  for (const relock of [false, true]) {
    test(`3.13: a notify is not lost when its waiter is cancelled ${relock ? "while re-acquiring (test_cancelled_wakeup_relock)" : "before it runs (test_cancelled_wakeup)"}`, async () => {
      await runVirtual(async () => {
        const cond = new Condition();
        let state = 0;
        const consumer = async () => {
          await using _ = await cond.hold();
          for (;;) {
            await cond.waitFor(() => state !== 0);
            if (state < 0) return;
            state -= 1;
          }
        };
        const c = [createTask(consumer), createTask(consumer)];
        await sleep(0);
        {
          await using _ = await cond.hold();
          state += 1;
          cond.notify(1);
          if (relock) await sleep(0);
          c[0]!.cancel();
          try {
            await timeout(0.01, () => cond.waitFor(() => state === 0));
          } catch (e) {
            if (!(e instanceof TimeoutError)) throw e;
          }
          assert.equal(state, 0);
          state = -1;
          cond.notifyAll();
        }
        await c[1];
        await assert.rejects(c[0]!, CancelledError);
      });
    });
  }
});
