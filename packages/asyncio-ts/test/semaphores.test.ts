// Semaphore and BoundedSemaphore: CPython 3.13's test_locks.py SemaphoreTests, ported.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  BoundedSemaphore,
  CancelledError,
  createTask,
  gather,
  Semaphore,
  sleep,
  type Task,
  taskGroup,
  waitFor,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("Semaphore", () => {
  test("bad initial values: RangeError / TypeError naming the class and the value", () => {
    assert.throws(() => new Semaphore(-1), {
      name: "RangeError",
      message: "Semaphore() expected an initial value that is an integer >= 0, got the number -1",
    });
    assert.throws(() => new BoundedSemaphore(1.5), /BoundedSemaphore\(\) expected .* 1\.5/);
    assert.throws(() => new Semaphore("3" as unknown as number), TypeError);
    assert.equal(new Semaphore(0).locked(), true);
  });

  test("toString and statistics", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(2);
      assert.equal(String(sem), "<Semaphore [unlocked, value:2]>");
      await sem.acquire();
      await sem.acquire();
      assert.equal(String(sem), "<Semaphore [locked]>");
      const t = createTask(() => sem.acquire());
      await sleep(0);
      assert.equal(String(sem), "<Semaphore [locked, waiters:1]>");
      assert.deepEqual(sem.statistics(), { value: 0, waiters: 1 });
      sem.release();
      await t;
      assert.equal(String(new BoundedSemaphore(3)), "<BoundedSemaphore [unlocked, value:3]>");
    });
  });

  test("acquire and release move the value (test_semaphore, test_release_no_waiters)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore();
      assert.equal(sem.statistics().value, 1);
      assert.equal(await sem.acquire(), true);
      assert.equal(sem.locked(), true);
      assert.equal(sem.statistics().value, 0);
      sem.release();
      assert.equal(sem.locked(), false);
      assert.equal(sem.statistics().value, 1);
    });
  });

  test("cancelled waiters before the wake-up do not take the permit (test_acquire_cancel_before_awoken)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(0);
      const [t1, t2, t3, t4] = [1, 2, 3, 4].map(() => createTask(() => sem.acquire()));
      await sleep(0);
      t1!.cancel();
      t2!.cancel();
      sem.release();
      await sleep(0);
      await sleep(0);
      assert.equal(t3!.done(), true);
      assert.equal(t4!.done(), false);
      t3!.cancel();
      t4!.cancel();
      await sleep(0);
      assert.equal(sem.statistics().waiters, 0);
    });
  });

  test("a woken waiter cancelled before it runs gives its permit to the next (test_acquire_hang)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(0);
      const t1 = createTask(() => sem.acquire());
      const t2 = createTask(() => sem.acquire());
      await sleep(0);
      sem.release(); // hands the permit to t1
      t1.cancel(); // before t1 runs: t1 must pass it to t2
      await sleep(0);
      await sleep(0);
      assert.ok(t1.cancelled());
      assert.equal(t2.done(), true);
      assert.equal(sem.locked(), true);
      assert.deepEqual(sem.statistics(), { value: 0, waiters: 0 });
    });
  });

  test("cancelling a queued task does not hang the semaphore (test_acquire_no_hang)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(1);
      let t2: Task<void>;
      // c1 releases synchronously (try/finally): `await using` would add a microtask tick at
      // the end of the block, letting c2 run before the cancel below.
      const t1 = createTask(async () => {
        await sem.acquire();
        try {
          await sleep(0);
        } finally {
          sem.release(); // hands the permit to c2...
        }
        t2.cancel(); // ...which is cancelled before it runs: it must give the permit back
      });
      t2 = createTask(async () => {
        await using _ = await sem.hold();
        assert.fail("c2 must not get the semaphore");
      });
      const [r1, r2] = await gather([t1, t2], { returnExceptions: true });
      assert.equal(r1, undefined);
      assert.ok(r2 instanceof CancelledError, String(r2));
      assert.equal(await waitFor(() => sem.acquire(), 1), true);
    });
  });

  test("FIFO across repeated acquires (test_acquire_fifo_order)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(1);
      const result: string[] = [];
      const coro = (tag: string) => async () => {
        await sem.acquire();
        result.push(`${tag}_1`);
        await sleep(0.01);
        sem.release();
        await sem.acquire();
        result.push(`${tag}_2`);
        await sleep(0.01);
        sem.release();
      };
      await taskGroup(async (tg) => {
        tg.createTask(coro("c1"));
        tg.createTask(coro("c2"));
        tg.createTask(coro("c3"));
      });
      assert.deepEqual(result, ["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"]);
    });
  });

  test("a release-then-reacquire queues behind earlier waiters (test_acquire_fifo_order_2)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(1);
      const result: number[] = [];
      const t1 = createTask(async () => {
        await sem.acquire();
        result.push(1);
      });
      const t2 = createTask(async () => {
        await sem.acquire();
        result.push(2);
        sem.release();
        await sem.acquire();
        result.push(4);
      });
      const t3 = createTask(async () => {
        await sem.acquire();
        result.push(3);
      });
      await sleep(0);
      sem.release();
      sem.release();
      await gather([t1, t2, t3]);
      assert.deepEqual(result, [1, 2, 3, 4]);
    });
  });

  test("a cancelled first waiter is skipped (test_acquire_fifo_order_3)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(0);
      const result: number[] = [];
      const make = (n: number) =>
        createTask(async () => {
          await sem.acquire();
          result.push(n);
        });
      const tasks = [make(1), make(2), make(3)];
      await sleep(0);
      tasks[0]!.cancel();
      await sleep(0);
      sem.release();
      sem.release();
      await gather(tasks, { returnExceptions: true });
      assert.deepEqual(result, [2, 3]);
    });
  });

  test("3.13: several releases wake as many waiters as the value allows (test_acquire_fifo_order_4)", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(0);
      const result: number[] = [];
      let t4: Task<void> | undefined;
      const t1 = createTask(async () => {
        assert.equal(sem.statistics().value, 0);
        await sem.acquire();
        // Its acquire woke c2 and c3 at once (the value was 2): both hold a permit already.
        assert.equal(sem.statistics().value, 0);
        t4 = createTask(async () => {
          result.push(4);
        });
        result.push(1);
      });
      const t2 = createTask(async () => {
        sem.release();
        sem.release();
        sem.release();
        assert.equal(sem.statistics().value, 2);
        assert.equal(sem.locked(), true); // c1 has not woken up yet
        await sem.acquire();
        result.push(2);
      });
      const t3 = createTask(async () => {
        await sem.acquire();
        assert.equal(sem.locked(), true);
        result.push(3);
      });
      await gather([t1, t2, t3]);
      await t4;
      // asyncio runs c2 and c3 before t4 (they were scheduled first); here t4 starts from the
      // loop's ready queue while c2 and c3 resume through promise reactions, so only the order
      // among the semaphore's waiters is asserted.
      assert.deepEqual(
        result.filter((n) => n !== 4),
        [1, 2, 3],
      );
      assert.equal(result.length, 4);
    });
  });

  test("seed 004: Semaphore(3) runs 10 tasks three at a time", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const sem = new Semaphore(3);
      const limitedTask = async (n: number) => {
        await using _ = await sem.hold();
        log.at(`start ${n}`);
        await sleep(1);
        log.at(`done ${n}`);
      };
      await gather(Array.from({ length: 10 }, (_, i) => () => limitedTask(i)));
      const starts = log.entries.filter((e) => e.includes("start"));
      assert.deepEqual(starts, [
        "0: start 0",
        "0: start 1",
        "0: start 2",
        "1: start 3",
        "1: start 4",
        "1: start 5",
        "2: start 6",
        "2: start 7",
        "2: start 8",
        "3: start 9",
      ]);
      assert.equal(log.entries.at(-1), "4: done 9");
      assert.deepEqual(sem.statistics(), { value: 3, waiters: 0 });
    });
  });
});

describe("BoundedSemaphore", () => {
  test("over-release is a RangeError naming the semaphore (test_release_not_acquired)", async () => {
    await runVirtual(async () => {
      const sem = new BoundedSemaphore(2);
      assert.throws(() => sem.release(), {
        name: "RangeError",
        message:
          "BoundedSemaphore.release() called too many times: <BoundedSemaphore [unlocked, value:2]> already has all 2 permits",
      });
      await sem.acquire();
      sem.release();
      assert.throws(() => sem.release(), RangeError);
    });
  });

  test("hold() with using releases once", async () => {
    await runVirtual(async () => {
      const sem = new BoundedSemaphore(1);
      {
        await using _ = await sem.hold();
        assert.equal(sem.locked(), true);
      }
      assert.equal(sem.locked(), false);
      assert.throws(() => sem.release(), RangeError);
    });
  });
});
