// Deterministic regressions shrunk from the cancellation property tests
// (cancellation-more.property.test.ts). Each states what CPython 3.13 does in the same schedule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  currentTask,
  getRunningLoop,
  Lock,
  Semaphore,
  TimeoutError,
  waitFor,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

describe("cancellation regressions", () => {
  // CPython 3.13: lock = Lock(); await lock.acquire(); loop.call_later(1, lock.release);
  // await wait_for(lock.acquire(), 1) -> TimeoutError, lock.locked() False; the same with
  // Semaphore(0) and sem.release -> TimeoutError, value 1. The release wakes the acquire, the
  // deadline (due in the same turn) cancels it before it ran, and it passes the wake-up on.
  // Here the promise's waiter had been granted when the adopting future was cancelled, and it
  // took the lock (the permit) for nobody: locked forever, value 0.
  test("waitFor(acquire(), t) timing out in the turn of the release leaves the lock and the permit free", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const lock = new Lock();
      await lock.acquire();
      loop.callLater(1, () => lock.release());
      await assert.rejects(waitFor(lock.acquire(), 1), TimeoutError);
      assert.deepEqual(lock.statistics(), { locked: false, waiters: 0 });

      const sem = new Semaphore(0);
      loop.callLater(1, () => sem.release());
      await assert.rejects(waitFor(sem.acquire(), 1), TimeoutError);
      assert.deepEqual(sem.statistics(), { value: 1, waiters: 0 });

      // With another waiter behind it, the grant goes to that one.
      await lock.acquire();
      loop.callLater(1, () => lock.release());
      const abandoned = waitFor(lock.acquire(), 1);
      const next = lock.acquire();
      await assert.rejects(abandoned, TimeoutError);
      assert.equal(await next, true);
      assert.deepEqual(lock.statistics(), { locked: true, waiters: 0 });
      lock.release();
    });
  });
  // CPython 3.13: lock held; fut = ensure_future(wait_for(lock.acquire(), 0)); await sleep(0);
  // lock.release(); await fut -> TimeoutError, lock.locked() False. Here the release granted the
  // waiter while waitFor(…, 0) looked whether the promise had settled, and the cancel that
  // followed found it granted: the lock was taken for nobody (fixed with the case above).
  test("waitFor(acquire(), 0) whose waiter is granted before it gives up leaves the lock free", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      await lock.acquire();
      const abandoned = waitFor(lock.acquire(), 0);
      lock.release();
      await assert.rejects(abandoned, TimeoutError);
      assert.deepEqual(lock.statistics(), { locked: false, waiters: 0 });
    });
  });

  // CPython 3.13: wait_for(lock.acquire(), 0) with the lock free -> TimeoutError, lock free (the
  // coroutine never runs). A promise has run already: `lock.acquire()` took the free lock before
  // waitFor saw it, and cancelling the adopting future dropped the `true`: TimeoutError with the
  // lock held by nobody. Now a promise already settled counts as done and its result is returned
  // (the function form, `waitFor(() => lock.acquire(), 0)`, never runs and times out as asyncio).
  test("waitFor(acquire(), 0) on a free lock returns true and the caller holds it", async () => {
    await runVirtual(async () => {
      const lock = new Lock();
      assert.equal(await waitFor(lock.acquire(), 0), true);
      assert.deepEqual(lock.statistics(), { locked: true, waiters: 0 });
      lock.release();
      await assert.rejects(
        waitFor(() => lock.acquire(), 0),
        TimeoutError,
      );
      assert.deepEqual(lock.statistics(), { locked: false, waiters: 0 });
    });
  });

  // CPython 3.13: a task cancels itself, then `await wait_for(sem.acquire(), 1)`: the coroutine
  // is awaited inline, so the acquire is the caller's (CancelledError comes at the caller's next
  // suspension). Here the function form once ran the acquire in a new task that started before
  // the caller's await delivered the cancellation to it; the task took the permit and ended
  // cancelled, dropping its `true`: value 0 with nobody holding it. Now the function runs in
  // the caller's task, as in asyncio, and its acquire, a cancellation point even when the
  // permit is free, delivers the pending cancellation: nothing is taken.
  test("waitFor(() => acquire(), t) with a cancellation pending takes nothing", async () => {
    await runVirtual(async () => {
      const sem = new Semaphore(1);
      let ran = false;
      const caller = createTask(async () => {
        currentTask()!.cancel();
        await waitFor(() => {
          ran = true;
          return sem.acquire();
        }, 1);
      });
      await assert.rejects(caller, CancelledError);
      assert.equal(ran, true); // in the caller's task, as asyncio awaits the coroutine inline
      assert.deepEqual(sem.statistics(), { value: 1, waiters: 0 });
    });
  });
});
