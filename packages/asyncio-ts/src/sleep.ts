/**
 * sleep and cancellable: the two basic cancellation points.
 */

import { eventLoop } from "./core/context.js";
import { adoptPromise, Future, isThenable } from "./core/future.js";
import { describe } from "./errors.js";
import { validateDelay } from "./validate.js";

function settle<T>(future: Future<T>, result: T): void {
  if (!future.done()) future.setResult(result);
}

/**
 * Suspends the current task for `delay` seconds and resolves with `result`. Negative delays act
 * as 0; `sleep(0)` lets every other ready task and pending I/O callback run first. Cancelling the
 * task while it sleeps throws `CancelledError` here and frees the timer at once.
 *
 * Returns a `Future` (it is a Promise-compatible object with `then`, `catch` and `finally`).
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
  validateDelay("sleep()", delay);
  const loop = eventLoop();
  const future = new Future<T>(loop);
  if (delay <= 0) {
    loop._callAfterIo(settle, future, result as T);
  } else {
    // The timer is cancelled with the future, so cancelled sleeps do not linger in the heap.
    future._onCancel = loop._timerAt(loop.time() + delay, settle, future, result as T);
  }
  return future;
}

/**
 * Turns a foreign promise into a cancellation point: awaiting the result throws
 * `CancelledError` as soon as the task is cancelled, even though the promise itself cannot be
 * stopped (its eventual outcome is ignored). Pass `currentTask().signal` to the foreign API too
 * when it accepts an AbortSignal, so the work itself stops.
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
    throw new TypeError(`cancellable() expected a promise, got ${describe(promise)}`);
  }
  return adoptPromise(promise);
}
