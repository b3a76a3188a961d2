/**
 * waitFor(): await one thing with a timeout, cancelling it on expiry (asyncio.wait_for, 3.12+).
 */

import { cancelAndWait } from "./cancel-and-wait.js";
import { currentTaskOrUndefined } from "./core/context.js";
import { type Future, isThenable } from "./core/future.js";
import { CancelledError, describe, TimeoutError } from "./errors.js";
import { runInFreshTask } from "./fresh-task.js";
import { type Awaitable, ensureFuture } from "./tasks.js";
import { timeoutWithMessage } from "./timeouts.js";
import { timeoutError } from "./validate.js";

/**
 * Awaits `awaitable` (a task, future, promise, or function) for at most `seconds` (null: no
 * limit). On timeout it cancels the awaitable, waits until it has finished cancelling, then
 * throws `TimeoutError`. Cancelling the caller cancels the awaitable too. A function runs in the
 * caller's task inside a timeout scope, as asyncio 3.12+ awaits a coroutine: the deadline
 * cancels it at its current await, and what it got before, it returns (with a timeout <= 0 it
 * never runs, as in asyncio).
 * Bad arguments reject (`TypeError`, `RangeError` for NaN); it never throws (docs/errors.md).
 *
 * @example
 * ```ts
 * import { run, waitFor, sleep, TimeoutError } from "asyncio-ts";
 * await run(async () => {
 *   try {
 *     await waitFor(async () => { await sleep(10); return "done"; }, 0.01);
 *   } catch (e) {
 *     console.log(e instanceof TimeoutError); // true
 *   }
 * });
 * ```
 */
export function waitFor<T>(awaitable: Awaitable<T>, seconds: number | null): Promise<Awaited<T>> {
  // Bad arguments reject, never throw (docs/errors.md).
  const invalid = timeoutError("waitFor()", seconds);
  if (invalid !== null) return Promise.reject(invalid);
  const limit = seconds ?? null;
  if (typeof awaitable !== "function" && !isThenable(awaitable)) {
    return Promise.reject(
      new TypeError(
        `waitFor() expected a task, future, promise or function, got ${describe(awaitable)}`,
      ),
    );
  }
  const task = currentTaskOrUndefined();
  if (task === undefined) return runInFreshTask(() => waitFor(awaitable, limit));
  const message = `waitFor() timed out after ${limit} s`;
  if ((limit === null || limit > 0) && typeof awaitable === "function") {
    // asyncio 3.12+ awaits a coroutine inline, in the caller's task, inside a timeout scope
    // (`async with timeout(t): return await coro`). So does the function form: a deadline
    // cancels the caller at the function's current await, and what the function got before
    // it, it returns. In a task of its own, the function could finish in the turn of the
    // deadline and be cancelled with its result in hand (a queue's item got for nobody).
    const fn = awaitable as () => Awaited<T> | Promise<Awaited<T>>;
    return timeoutWithMessage(limit, () => fn(), message);
  }
  const future = ensureFuture(awaitable) as Future<Awaited<T>>;
  if (limit !== null && limit <= 0) {
    // As asyncio's `ensure_future(coro)` then: a function becomes a task, cancelled before it starts.
    const adopted = typeof awaitable !== "function" && (future as unknown) !== awaitable;
    return expireNow(future, limit, adopted);
  }
  return timeoutWithMessage(limit, () => future, message);
}

/** A zero or negative timeout: the result if already done, else cancel, wait, and time out. */
async function expireNow<T>(future: Future<T>, limit: number, adopted: boolean): Promise<T> {
  // A promise that is already settled is done, as asyncio's `fut.done()` sees a done future; its
  // outcome reaches the adopting future one microtask later. Cancelling before then would drop
  // work already done: `waitFor(sem.acquire(), 0)` with a free permit took it for nobody.
  if (adopted && !future.done()) await undefined;
  if (future.done()) return future.result();
  await cancelAndWait(future);
  try {
    return future.result();
  } catch (error) {
    if (error instanceof CancelledError)
      throw new TimeoutError(`waitFor() timed out at once (timeout ${limit} s <= 0)`, {
        cause: error,
      });
    throw error;
  }
}
