/**
 * sleep and cancellable: the two basic cancellation points.
 */

import { barePromise, capturedReject, capturedResolve } from "./core/bare-promise.js";
import { currentTaskOrUndefined, eventLoop } from "./core/context.js";
import { adoptPromise, isThenable, STOP } from "./core/future.js";
import type { TimerHandle } from "./core/handle.js";
import type { EventLoop } from "./core/loop.js";
import type { Waiter } from "./core/task.js";
import { CancelledError, describe } from "./errors.js";
import { delayError } from "./validate.js";

/**
 * A task's wait in `sleep()`: what the task is suspended on (its waiter), with the timer that
 * ends it. A plain native promise plus this record is much lighter than a Future that is then
 * awaited (no wrappers, no derived promise), and sleep is the hottest await there is.
 */
export class SleepWaiter implements Waiter {
  /** @internal Set while the timer (or the after-I/O yield) is pending. */
  _timer: TimerHandle | null = null;
  /** @internal The sleep's promise (to mark its rejection handled when cancelled). */
  _promise: Promise<unknown> | null = null;
  private settled = false;
  /** True from a cancel() until the task has resumed with its CancelledError (see absorbsCancel). */
  private cancelInFlight = false;

  /** @internal */
  constructor(
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (reason: unknown) => void,
    private readonly result: unknown,
    /** Loop time at which the sleep ends (null for `sleep(0)`). */
    readonly deadline: number | null,
    private readonly loop: EventLoop,
  ) {}

  /** @internal The timer fired. */
  _fire(): void {
    if (this.settled) return;
    this.settled = true;
    this._timer = null;
    this.resolve(this.result);
  }

  /** Ends the sleep early with CancelledError(msg); false if it already ended. */
  cancel(msg?: string): boolean {
    if (this.settled) return false;
    this.settled = true;
    this._timer?.cancel();
    this._timer = null;
    // A sleep made but never awaited (`const p = sleep(5)`) is still the task's waiter when the
    // task is cancelled: its rejection must not become an unhandled rejection. Whoever awaits it
    // still gets the CancelledError.
    this._promise?.catch(ignore);
    this.reject(new CancelledError(msg ?? ""));
    // The rejection has just queued the task's continuation; this microtask runs after it.
    this.cancelInFlight = true;
    queueMicrotask(() => {
      this.cancelInFlight = false;
    });
    return true;
  }

  done(): boolean {
    return this.settled;
  }

  /**
   * A second cancel() that arrives before the task has resumed with the first CancelledError is
   * part of the same delivery (asyncio's Task.__step consumes every pending request at once).
   */
  absorbsCancel(): boolean {
    return this.cancelInFlight;
  }

  toString(): string {
    if (this.deadline === null) return "sleep(0)";
    const left = Math.max(0, this.deadline - this.loop.time());
    return `sleep until t=${this.deadline.toFixed(3)} (${left.toFixed(3)} s left)`;
  }
}

function ignore(): void {}

function fire(waiter: SleepWaiter): void {
  waiter._fire();
}

/**
 * Suspends the current task for `delay` seconds and resolves with `result`. Negative delays act
 * as 0; `sleep(0)` lets every other ready task and pending I/O callback run first. Cancelling the
 * task while it sleeps throws `CancelledError` here and frees the timer at once. A delay that is
 * not a number rejects with `TypeError` (NaN: `RangeError`); it never throws (docs/errors.md).
 *
 * @example
 * ```ts
 * import { run, sleep } from "asyncio-ts";
 * await run(async () => {
 *   console.log("hello");
 *   console.log(await sleep(0.01, "world")); // "world"
 * });
 * ```
 */
export function sleep<T = void>(delay: number, result?: T): Promise<T> {
  // A bad delay rejects rather than throws (docs/errors.md). No try/catch: the check returns the
  // error, so the happy path does exactly what it did.
  const invalid = delayError("sleep()", delay);
  if (invalid !== null) return Promise.reject(invalid);
  const seconds = Math.max(0, delay);
  const task = currentTaskOrUndefined();
  if (task?._mustCancel) {
    // A cancellation is pending: this await is where it is delivered.
    task._mustCancel = false;
    return Promise.reject(new CancelledError(task._cancelMessage ?? ""));
  }
  const loop = task !== undefined ? task._loop : eventLoop();
  const promise = barePromise<T>();
  const deadline = seconds > 0 ? loop.time() + seconds : null;
  const waiter = new SleepWaiter(capturedResolve, capturedReject, result, deadline, loop);
  waiter._promise = promise;
  if (deadline === null) loop._callAfterIo(fire, waiter, undefined);
  else waiter._timer = loop._timerAt(deadline, fire, waiter, undefined);
  // The task is suspended on this sleep: task.cancel() reaches the waiter.
  if (task !== undefined) task._futWaiter = waiter;
  // gather(sleep(1)) and waitFor(sleep(9), 1) adopt the promise; cancelling them frees the timer.
  (promise as { [STOP]?: SleepWaiter })[STOP] = waiter;
  return promise;
}
/**
 * Turns a foreign promise into a cancellation point: awaiting the result throws
 * `CancelledError` as soon as the task is cancelled, even though the promise itself cannot be
 * stopped (its eventual outcome is ignored). Pass `currentTask().signal` to the foreign API too
 * when it accepts an AbortSignal, so the work itself stops.
 *
 * Do not wrap a promise that produces a resource (`fs.open`, a database connection): if the task
 * is cancelled first, the file handle or connection that arrives later is ignored and never
 * closed. Acquire it with a plain `await` and make the operations on it cancellable.
 * Anything but a promise (a thenable) rejects with `TypeError`; it never throws (docs/errors.md).
 *
 * @example
 * ```ts
 * import { run, createTask, cancellable, sleep, CancelledError } from "asyncio-ts";
 * await run(async () => {
 *   const t = createTask(() => cancellable(new Promise((r) => setTimeout(r, 50))));
 *   await sleep(0);
 *   t.cancel();
 *   await t.catch((e) => console.log(e instanceof CancelledError)); // true, without waiting 50 ms
 * });
 * ```
 */
export function cancellable<T>(promise: PromiseLike<T>): Promise<T> {
  if (!isThenable(promise)) {
    return Promise.reject(
      new TypeError(`cancellable() expected a promise, got ${describe(promise)}`),
    );
  }
  return adoptPromise(promise);
}
