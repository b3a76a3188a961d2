// Deterministic regressions shrunk from the cancellation property tests
// (cancellation-more.property.test.ts). Each states what CPython 3.13 does in the same schedule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getRunningLoop, Lock, Semaphore, TimeoutError, waitFor } from "../src/index.js";
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
});
