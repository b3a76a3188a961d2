// Lock and Event: the applicable scenarios of CPython 3.13's test_locks.py (LockTests,
// EventTests), on the virtual clock with ordered event logs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  Event,
  gather,
  getRunningLoop,
  Lock,
  RuntimeError,
  sleep,
  TimeoutError,
  waitFor,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("Lock", () => {
  test("toString and statistics show the state and the waiters", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      assert.equal(String(lock), "<Lock [unlocked]>");
      assert.deepEqual(lock.statistics(), { locked: false, waiters: 0 });
      await lock.acquire();
      assert.equal(String(lock), "<Lock [locked]>");
      const t = createTask(() => lock.acquire());
      await sleep(0);
      assert.equal(String(lock), "<Lock [locked, waiters:1]>");
      assert.deepEqual(lock.statistics(), { locked: true, waiters: 1 });
      lock.release();
      await t;
      lock.release();
    });
  });

  test("acquire resolves with true and locks; release unlocks", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      assert.equal(await lock.acquire(), true);
      assert.equal(lock.locked(), true);
      lock.release();
      assert.equal(lock.locked(), false);
    });
  });

  test("waiters acquire in FIFO order (test_acquire)", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      const result: number[] = [];
      await lock.acquire();
      const worker = (n: number) => async () => {
        await lock.acquire();
        result.push(n);
        return true;
      };
      const t1 = createTask(worker(1));
      const t2 = createTask(worker(2));
      await sleep(0);
      assert.deepEqual(result, []);
      lock.release();
      await sleep(0);
      assert.deepEqual(result, [1]);
      const t3 = createTask(worker(3));
      await sleep(0);
      assert.deepEqual(result, [1]);
      lock.release();
      await sleep(0);
      assert.deepEqual(result, [1, 2]);
      lock.release();
      await sleep(0);
      assert.deepEqual(result, [1, 2, 3]);
      assert.equal(await t1, true);
      assert.equal(await t2, true);
      assert.equal(await t3, true);
    });
  });

  test("a cancelled acquire leaves the lock to others (test_acquire_cancel)", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      await lock.acquire();
      const task = createTask(() => lock.acquire());
      getLoopSoon(() => task.cancel());
      await assert.rejects(task, CancelledError);
      assert.equal(lock.statistics().waiters, 0);
      lock.release();
      assert.equal(lock.locked(), false);
    });
  });

  test("cancelling waiters in every position keeps FIFO for the rest (test_cancel_race)", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      const log = new EventLog();
      await lock.acquire();
      const lockit = (name: string, blocker: Event) => async () => {
        await lock.acquire();
        log.push(`${name} acquired`);
        try {
          await blocker.wait();
        } finally {
          lock.release();
        }
      };
      const [ba, bb, bc] = [new Event(), new Event(), new Event()];
      const ta = createTask(lockit("A", ba));
      await sleep(0);
      const tb = createTask(lockit("B", bb));
      await sleep(0);
      const tc = createTask(lockit("C", bc));
      await sleep(0);
      tb.cancel();
      lock.release();
      await sleep(0);
      assert.deepEqual(log.entries, ["A acquired"]);
      ba.set();
      await ta;
      await assert.rejects(tb, CancelledError);
      await sleep(0);
      assert.deepEqual(log.entries, ["A acquired", "C acquired"]);
      bc.set();
      await tc;
      assert.equal(lock.locked(), false);
    });
  });

  test("cancel then release in one callback takes the lock once (test_cancel_release_race)", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      let lockCount = 0;
      let callCount = 0;
      const lockit = async () => {
        callCount++;
        await lock.acquire();
        lockCount++;
      };
      await lock.acquire();
      const t1 = createTask(lockit);
      const t2 = createTask(lockit);
      const t3 = createTask(lockit);
      await sleep(0);
      getLoopSoon(() => {
        t1.cancel();
        lock.release();
      });
      await assert.rejects(t1, CancelledError);
      await sleep(0);
      assert.equal(lockCount, 1);
      assert.equal(callCount, 3);
      assert.ok(t1.cancelled() && t2.done());
      t3.cancel();
      await sleep(0);
      assert.ok(t3.cancelled());
    });
  });

  test("a waiter woken and then cancelled passes the lock on (test_finished_waiter_cancelled)", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      await lock.acquire();
      const tb = createTask(() => lock.acquire());
      await sleep(0);
      assert.equal(lock.statistics().waiters, 1);
      const tc = createTask(() => lock.acquire());
      lock.release(); // wakes tb
      tb.cancel(); // before tb runs
      await sleep(0);
      assert.ok(tb.cancelled());
      assert.equal(await tc, true);
      assert.equal(lock.locked(), true);
    });
  });

  test("no barging: a task arriving after release queues behind the woken waiter", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      const log = new EventLog();
      await lock.acquire();
      const waiter = createTask(async () => {
        await lock.acquire();
        log.push("waiter");
        lock.release();
      });
      await sleep(0);
      lock.release();
      assert.equal(lock.locked(), false);
      const late = createTask(async () => {
        await lock.acquire();
        log.push("late");
        lock.release();
      });
      await gather([waiter, late]);
      assert.deepEqual(log.entries, ["waiter", "late"]);
    });
  });

  test("releasing an unlocked lock is a RuntimeError naming the lock", () => {
    const lock = new Lock();
    assert.throws(() => lock.release(), {
      name: "RuntimeError",
      message: /Lock\.release\(\) called on an unlocked lock: <Lock \[unlocked\]>/,
    });
    assert.throws(() => lock.release(), RuntimeError);
  });

  test("bad input: Lock takes no arguments (new Lock(5) is not a semaphore)", () => {
    const Untyped = Lock as unknown as new (...args: unknown[]) => Lock;
    assert.throws(() => new Untyped(5), {
      name: "TypeError",
      message:
        /^Lock\(\) takes no arguments \(a Semaphore\(n\) lets n tasks hold it\), got 1 argument$/,
    });
    assert.equal(new Lock().locked(), false);
  });

  test("hold() releases on leaving an await using block, also on error", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      {
        await using held = await lock.hold();
        assert.equal(lock.locked(), true);
        assert.equal(held.held, true);
      }
      assert.equal(lock.locked(), false);
      await assert.rejects(async () => {
        await using _ = await lock.hold();
        throw new Error("boom");
      }, /boom/);
      assert.equal(lock.locked(), false);
      {
        using held = await lock.hold();
        held.release(); // early release; leaving the block does not release twice
        assert.equal(lock.locked(), false);
      }
      assert.equal(lock.locked(), false);
    });
  });

  test("the fast path is a cancellation point too", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      const task = createTask(async () => {
        await new Promise((resolve) => setImmediate(resolve)); // foreign await
        await lock.acquire();
      });
      await sleep(0);
      task.cancel();
      await assert.rejects(task, CancelledError);
      assert.equal(lock.locked(), false);
    });
  });

  test("waitFor on acquire (function form) times out and leaves no waiter", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      await lock.acquire();
      await assert.rejects(
        waitFor(() => lock.acquire(), 1),
        TimeoutError,
      );
      assert.equal(lock.statistics().waiters, 0);
      lock.release();
      assert.equal(lock.locked(), false);
    });
  });

  test("seed 004: workers A, B, C take the lock in turn", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const lock = new Lock();
      const worker = async (name: string) => {
        await using _ = await lock.hold();
        log.at(`${name} acquired`);
        await sleep(1);
        log.at(`${name} released`);
      };
      await gather([() => worker("A"), () => worker("B"), () => worker("C")]);
      assert.deepEqual(log.entries, [
        "0: A acquired",
        "1: A released",
        "1: B acquired",
        "2: B released",
        "2: C acquired",
        "3: C released",
      ]);
    });
  });
});

describe("Event", () => {
  test("bad input: Event takes no arguments", () => {
    const Untyped = Event as unknown as new (...args: unknown[]) => Event;
    assert.throws(() => new Untyped(true, 2), {
      name: "TypeError",
      message: /^Event\(\) takes no arguments \(it starts unset; call set\(\)\), got 2 arguments$/,
    });
  });

  test("toString and statistics", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      assert.equal(String(ev), "<Event [unset]>");
      const t = createTask(() => ev.wait());
      await sleep(0);
      assert.equal(String(ev), "<Event [unset, waiters:1]>");
      assert.deepEqual(ev.statistics(), { set: false, waiters: 1 });
      ev.set();
      assert.equal(String(ev), "<Event [set]>");
      assert.equal(await t, true);
    });
  });

  test("set wakes every waiter, in order (test_wait)", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      const result: number[] = [];
      const c = (n: number) => async () => {
        if (await ev.wait()) result.push(n);
      };
      const tasks = [createTask(c(1)), createTask(c(2))];
      await sleep(0);
      assert.deepEqual(result, []);
      const t3 = createTask(c(3));
      ev.set();
      await sleep(0);
      assert.deepEqual(result, [3, 1, 2]);
      await gather([...tasks, t3]);
      assert.deepEqual(result, [3, 1, 2]);
    });
  });

  test("wait on a set event returns at once; clear resets (test_wait_on_set, test_clear)", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      ev.set();
      assert.equal(await ev.wait(), true);
      assert.equal(ev.isSet(), true);
      ev.clear();
      assert.equal(ev.isSet(), false);
    });
  });

  test("a cancelled wait leaves no waiter (test_wait_cancel)", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      const wait = createTask(() => ev.wait());
      getLoopSoon(() => wait.cancel());
      await assert.rejects(wait, CancelledError);
      assert.equal(ev.statistics().waiters, 0);
    });
  });

  test("clear after set does not stop the woken waiters (test_clear_with_waiters)", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      const t = createTask(() => ev.wait());
      await sleep(0);
      ev.set();
      ev.clear();
      assert.equal(ev.isSet(), false);
      ev.set();
      ev.set();
      assert.equal(ev.statistics().waiters, 0);
      assert.equal(await t, true);
    });
  });

  test("waitFor(event.wait(), t) cancels the waiter itself on timeout", async () => {
    await runVirtual(async () => {
      const ev = new Event();
      await assert.rejects(waitFor(ev.wait(), 0.5), TimeoutError);
      assert.equal(ev.statistics().waiters, 0);
    });
  });
});

/** Schedules `fn` on the running loop's ready queue (asyncio's loop.call_soon). */
function getLoopSoon(fn: () => void): void {
  getRunningLoop().callSoon(fn);
}
