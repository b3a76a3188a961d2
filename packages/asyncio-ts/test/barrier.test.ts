// Barrier: CPython 3.13's test_locks.py BarrierTests, ported (virtual clock, event logs).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Barrier,
  BrokenBarrierError,
  CancelledError,
  createTask,
  gather,
  sleep,
  type Task,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

const N = 5;

function makeTasks<T>(n: number, fn: () => Promise<T>): Task<T>[] {
  return Array.from({ length: n }, () => createTask(fn));
}

describe("Barrier", () => {
  test("bad parties: RangeError / TypeError", () => {
    assert.throws(() => new Barrier(0), {
      name: "RangeError",
      message: "Barrier() expected parties to be an integer >= 1, got the number 0",
    });
    assert.throws(() => new Barrier(-3), RangeError);
    assert.throws(() => new Barrier(1.5), RangeError);
    assert.throws(() => new Barrier("2" as unknown as number), TypeError);
  });

  test("toString and statistics follow the state (test_repr)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(N);
      assert.equal(String(barrier), "<Barrier [filling, waiters:0/5]>");
      const waiters = makeTasks(N - 1, () => barrier.wait());
      await sleep(0);
      assert.equal(String(barrier), "<Barrier [filling, waiters:4/5]>");
      assert.deepEqual(barrier.statistics(), { state: "filling", parties: 5, nWaiting: 4 });
      const last = createTask(() => barrier.wait());
      await gather([...waiters, last]);
      assert.equal(String(barrier), "<Barrier [filling, waiters:0/5]>");
      await barrier.abort();
      assert.equal(String(barrier), "<Barrier [broken]>");
      assert.equal(barrier.broken, true);
    });
  });

  test("N tasks pass together and get distinct indexes (test_barrier, test_filling_tasks_check_return_value)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(N);
      const order: string[] = [];
      const tasks = makeTasks(N, async () => {
        order.push("before");
        const index = await barrier.wait();
        order.push("after");
        return index;
      });
      const indexes = await gather(tasks);
      assert.deepEqual([...indexes].sort(), [0, 1, 2, 3, 4]);
      assert.deepEqual(order, [...Array(N).fill("before"), ...Array(N).fill("after")]);
      assert.equal(barrier.nWaiting, 0);
      assert.equal(barrier.broken, false);
      assert.equal(barrier.parties, N);
    });
  });

  test("one party passes at once, twice (test_filling_one_task_twice)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(1);
      assert.equal(await barrier.wait(), 0);
      assert.equal(await barrier.wait(), 0);
    });
  });

  test("tasks can go round the barrier twice (test_filling_tasks_wait_twice)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(N);
      const results: string[] = [];
      await gather(
        makeTasks(N, async () => {
          await barrier.wait();
          results.push("round1");
          await barrier.wait();
          results.push("round2");
        }),
      );
      assert.deepEqual(results, [...Array(N).fill("round1"), ...Array(N).fill("round2")]);
    });
  });

  test("tasks arriving while it drains wait for the next round (test_blocking_tasks_while_draining)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(2);
      const first = makeTasks(2, () => barrier.wait());
      await sleep(0);
      const second = makeTasks(2, () => barrier.wait());
      assert.deepEqual([...(await gather(first))].sort(), [0, 1]);
      assert.deepEqual([...(await gather(second))].sort(), [0, 1]);
    });
  });

  test("a cancelled waiter leaves the count (test_filling_tasks_cancel_one)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(3);
      const t1 = createTask(() => barrier.wait());
      await sleep(0);
      assert.equal(barrier.nWaiting, 1);
      const t2 = createTask(() => barrier.wait());
      await sleep(0);
      assert.equal(barrier.nWaiting, 2);
      t1.cancel();
      await sleep(0);
      await assert.rejects(t1, CancelledError);
      assert.equal(barrier.nWaiting, 1);
      const t3 = createTask(() => barrier.wait());
      await sleep(0);
      assert.equal(barrier.nWaiting, 2);
      const t4 = createTask(() => barrier.wait());
      // As in asyncio, the cancelled task's index 0 is gone and t2 keeps index 1.
      const indexes = await gather([t2, t3, t4]);
      assert.deepEqual(indexes, [1, 1, 2]);
      assert.equal(barrier.nWaiting, 0);
      assert.equal(barrier.broken, false);
    });
  });

  test("reset breaks the waiting tasks, then the barrier works again (test_reset_barrier_while_tasks_waiting)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(N);
      const waiting = makeTasks(N - 1, () => barrier.wait());
      await sleep(0);
      await barrier.reset();
      const results = await gather(waiting, { returnExceptions: true });
      assert.ok(results.every((r) => r instanceof BrokenBarrierError));
      assert.equal(barrier.nWaiting, 0);
      assert.equal(barrier.broken, false);
      const again = await gather(makeTasks(N, () => barrier.wait()));
      assert.deepEqual([...again].sort(), [0, 1, 2, 3, 4]);
    });
  });

  test("abort breaks current and future waits; reset repairs (test_abort_barrier, ..._then_resetting)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(N);
      const waiting = makeTasks(2, () => barrier.wait());
      await sleep(0);
      await barrier.abort();
      const results = await gather(waiting, { returnExceptions: true });
      assert.ok(results.every((r) => r instanceof BrokenBarrierError));
      assert.equal(barrier.broken, true);
      await assert.rejects(barrier.wait(), {
        name: "BrokenBarrierError",
        message: /Barrier aborted: <Barrier \[broken\]>/,
      });
      await barrier.reset();
      assert.equal(barrier.broken, false);
      const again = await gather(makeTasks(N, () => barrier.wait()));
      assert.deepEqual([...again].sort(), [0, 1, 2, 3, 4]);
    });
  });

  test("a task that failed can abort the barrier for the others (test_abort_barrier_when_exception)", async () => {
    await runVirtual(async () => {
      const barrier = new Barrier(N);
      const outcome: string[] = [];
      const tasks = Array.from({ length: N }, (_, i) =>
        createTask(async () => {
          try {
            if (i === N - 1) throw new Error("failed");
            await barrier.wait();
            outcome.push("passed");
          } catch (e) {
            if (e instanceof BrokenBarrierError) outcome.push("broken");
            else await barrier.abort();
          }
        }),
      );
      await gather(tasks);
      assert.deepEqual(outcome, Array(N - 1).fill("broken"));
    });
  });
});
