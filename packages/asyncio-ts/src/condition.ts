/**
 * Condition: wait until notified, holding a lock around the check (asyncio.Condition, 3.13).
 *
 * Design notes (locks.py; gh-112202, the 3.13 fix)
 * - `wait()` releases the lock, waits for a notification, then re-acquires the lock before it
 *   returns or throws, even when cancelled meanwhile (cancellations during the re-acquire are
 *   deferred and re-thrown once the lock is held again), so the caller always owns the lock
 *   after `wait()`.
 * - A waiter that fails (cancelled while waiting, or notified and then cancelled before it
 *   ran) passes one notification on with `_notify(1)`. So a notify is never lost to a cancelled
 *   task; at worst another waiter wakes spuriously, which condition variables allow.
 */

import { currentTaskOrUndefined } from "./core/context.js";
import { WaiterQueue, waiterFuture } from "./core/waiter-queue.js";
import { CancelledError, describe, RuntimeError } from "./errors.js";
import { type Held, holdAfter } from "./held.js";
import { Lock } from "./lock.js";

/** What `Condition.statistics()` reports. */
export interface ConditionStatistics {
  /** True while the underlying lock is held. */
  locked: boolean;
  /** Tasks waiting in `wait()` for a notification. */
  waiters: number;
  /** The underlying lock's statistics. */
  lock: ReturnType<Lock["statistics"]>;
}

/**
 * A condition variable (asyncio.Condition): tasks `wait()` until another task `notify()`s them,
 * all while sharing a lock (a new `Lock`, or the one given). `wait()`, `notify()` and
 * `notifyAll()` require the lock to be held (`RuntimeError` otherwise).
 *
 * @example
 * ```ts
 * import { run, createTask, Condition } from "asyncio-ts";
 * await run(async () => {
 *   const cond = new Condition();
 *   const items: number[] = [];
 *   const consumer = createTask(async () => {
 *     await using _ = await cond.hold();
 *     await cond.waitFor(() => items.length > 0);
 *     return items.shift();
 *   });
 *   {
 *     await using _ = await cond.hold();
 *     items.push(42);
 *     cond.notify();
 *   }
 *   console.log(await consumer); // 42
 * });
 * ```
 */
export class Condition {
  private readonly _lock: Lock;
  /** Tasks waiting for a notification that has not come yet, oldest first. */
  private readonly _waiters = new WaiterQueue<boolean>();

  constructor(lock?: Lock) {
    if (lock === undefined) lock = new Lock();
    else if (!(lock instanceof Lock)) {
      throw new TypeError(`Condition() expected a Lock or nothing, got ${describe(lock)}`);
    }
    this._lock = lock;
  }

  /** True while the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Acquires the underlying lock. */
  acquire(): Promise<true> {
    return this._lock.acquire();
  }

  /** Releases the underlying lock (`RuntimeError` if it is not held). */
  release(): void {
    this._lock.release();
  }

  /** Acquires the underlying lock and returns a `Held` whose disposal releases it. */
  hold(): Promise<Held> {
    return holdAfter(this._lock.acquire(), this._lock);
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock and resolves with `true`.
   * The lock is held again when this returns or throws. Wake-ups may be spurious: re-check the
   * state (or use `waitFor`).
   */
  async wait(): Promise<true> {
    if (!this._lock.locked()) {
      throw new RuntimeError(`Condition.wait() called without holding the lock: ${this}`);
    }
    const fut = waiterFuture<boolean>(currentTaskOrUndefined(), this);
    this._lock.release();
    let failure: { error: unknown } | null = null;
    try {
      this._waiters.push(fut);
      await fut;
    } catch (error) {
      failure = { error };
    }
    // Re-acquire whatever happens; a cancellation meanwhile is re-thrown once the lock is held.
    for (;;) {
      try {
        await this._lock.acquire();
        break;
      } catch (error) {
        if (!(error instanceof CancelledError)) {
          failure = { error };
          break;
        }
        failure = { error };
      }
    }
    if (failure === null) return true;
    this._notify(1);
    throw failure.error;
  }

  /**
   * Waits until `predicate()` is truthy and returns its value, checking it first and after
   * every wake-up. The lock must be held.
   */
  async waitFor<T>(predicate: () => T): Promise<T> {
    if (typeof predicate !== "function") {
      throw new TypeError(`Condition.waitFor() expected a function, got ${describe(predicate)}`);
    }
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiting tasks (default 1). The lock must be held. */
  notify(n = 1): void {
    if (!this._lock.locked()) {
      throw new RuntimeError(`Condition.notify() called without holding the lock: ${this}`);
    }
    this._notify(n);
  }

  /** Wakes every waiting task. The lock must be held. */
  notifyAll(): void {
    if (!this._lock.locked()) {
      throw new RuntimeError(`Condition.notifyAll() called without holding the lock: ${this}`);
    }
    this._notify(this._waiters.length);
  }

  /** The lock's state and the number of tasks waiting for a notification. */
  statistics(): ConditionStatistics {
    return {
      locked: this._lock.locked(),
      waiters: this._waiters.length,
      lock: this._lock.statistics(),
    };
  }

  toString(): string {
    const waiters = this._waiters.length;
    return `<Condition [${this.locked() ? "locked" : "unlocked"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  private _notify(n: number): void {
    for (let i = 0; i < n; i++) {
      const fut = this._waiters.shift();
      if (fut === undefined) break;
      fut.setResult(false);
    }
  }
}
