/**
 * Lock: mutual exclusion between tasks (asyncio.Lock, CPython 3.13 semantics).
 *
 * Design notes (CPython's locks.py, bpo-32734, gh-90155)
 * - FIFO and no barging. `release()` marks the lock free and wakes the first waiter, which takes
 *   the lock when it runs. Until then it still counts as waiting (`woken`), so a task that calls
 *   `acquire()` in between queues behind it instead of stealing the lock.
 * - Cancellation. A waiter cancelled while it waits leaves the queue at once (WaiterQueue). A
 *   waiter woken and then cancelled before it ran gets CancelledError from its await (the kernel
 *   delivers a pending cancel on resume, like asyncio's Task.__step) and passes the wake-up to
 *   the next waiter, so the lock is never stranded with tasks waiting.
 */

import { currentTaskOrUndefined } from "./core/context.js";
import { awaitGrant, type GrantOwner, GrantQueue } from "./core/grant-waiter.js";
import { takePendingCancel } from "./core/waiter-queue.js";
import { RuntimeError } from "./errors.js";
import { type Held, holdAfter } from "./held.js";

/** What `Lock.statistics()` reports. */
export interface LockStatistics {
  /** True while some task holds the lock. */
  locked: boolean;
  /** Tasks waiting to acquire it (including one woken that has not run yet). */
  waiters: number;
}

/** @internal Shared settled promise of every fast-path acquire. */
export const RESOLVED_TRUE: Promise<true> = Promise.resolve(true);

/**
 * A mutual exclusion lock for tasks (asyncio.Lock). Waiters acquire it in FIFO order; a task
 * that arrives after a `release()` queues behind the waiter that release woke. Cancelling a
 * waiting task never loses the lock or hands it out twice.
 *
 * Scoped use: `await using _ = await lock.hold()` releases on leaving the block.
 *
 * @example
 * ```ts
 * import { run, gather, Lock, sleep } from "asyncio-ts";
 * await run(async () => {
 *   const lock = new Lock();
 *   const worker = async (name: string) => {
 *     await using _ = await lock.hold();
 *     console.log(`${name} acquired`);
 *     await sleep(0.01);
 *     console.log(`${name} released`);
 *   };
 *   await gather([() => worker("A"), () => worker("B")]); // A acquired, A released, B acquired, B released
 * });
 * ```
 */
export class Lock implements GrantOwner {
  /** Invariant: true exactly while a task holds the lock (set by the acquirer itself). */
  private _locked = false;
  /** Tasks waiting for a wake-up, oldest first. */
  private readonly _waiters = new GrantQueue();
  /**
   * Waiters woken by `release()` that have not run yet: 0 or 1, since release only wakes the
   * first in line when nobody woken is pending (asyncio's `_wake_up_first`).
   */
  private _woken = 0;

  /** A new unlocked lock. Takes no arguments, as asyncio's `Lock()`. */
  constructor() {
    // JavaScript drops extra arguments silently; `new Lock(5)` is almost surely a mistake.
    // biome-ignore lint/complexity/noArguments: a rest parameter would let TypeScript accept them
    const given = arguments.length;
    if (given > 0) {
      throw new TypeError(
        `Lock() takes no arguments (a Semaphore(n) lets n tasks hold it), got ${given} argument${given === 1 ? "" : "s"}`,
      );
    }
  }

  /** True while some task holds the lock. */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Waits until the lock is free, takes it, and resolves with `true`. FIFO among waiters. A
   * cancellation point even when the lock is free at once.
   */
  acquire(): Promise<true> {
    if (!this._locked && this._waiters.length === 0 && this._woken === 0) {
      const cancelled = takePendingCancel(currentTaskOrUndefined());
      if (cancelled !== null) return Promise.reject(cancelled);
      this._locked = true;
      return RESOLVED_TRUE;
    }
    return awaitGrant(this._waiters, this); // the waiting path
  }

  /** @internal A woken waiter resumed: it takes the lock. */
  _granted(): void {
    this._woken--;
    this._locked = true;
  }

  /**
   * @internal A waiter resumed with CancelledError: cancelled while waiting (it already left the
   * queue), or woken and then cancelled before running. This task will not take the lock, so
   * make sure somebody does.
   */
  _abandoned(wasGranted: boolean): void {
    if (wasGranted) this._woken--;
    if (!this._locked) this._wakeUpFirst();
  }

  /**
   * Acquires the lock and returns a `Held` whose disposal releases it:
   * `await using _ = await lock.hold()`.
   */
  hold(): Promise<Held> {
    return holdAfter(this.acquire(), this);
  }

  /**
   * Releases the lock and wakes the first waiter. Throws `RuntimeError` if the lock is not held.
   * (Like asyncio, any task may release it, not only the one that acquired it.)
   */
  release(): void {
    if (!this._locked) {
      throw new RuntimeError(`Lock.release() called on an unlocked lock: ${this}`);
    }
    this._locked = false;
    this._wakeUpFirst();
  }

  /** The lock's state and the number of waiting tasks. */
  statistics(): LockStatistics {
    return { locked: this._locked, waiters: this._waiters.length + this._woken };
  }

  toString(): string {
    const waiters = this._waiters.length + this._woken;
    return `<Lock [${this._locked ? "locked" : "unlocked"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  /** Wakes the first waiter unless one woken earlier has not run yet. */
  private _wakeUpFirst(): void {
    if (this._woken > 0) return;
    const waiter = this._waiters.shiftNode();
    if (waiter !== undefined) {
      this._woken++;
      waiter._grant();
    }
  }
}
