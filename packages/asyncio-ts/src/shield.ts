/**
 * shield(): protect an awaitable from the cancellation of its awaiter (asyncio.shield).
 */
import type { Future } from "./core/future.js";
import { type Awaitable, ensureFuture } from "./tasks.js";

/** Shielded tasks are kept alive here while they run (asyncio 3.12+ keeps this strong ref too). */
const shielded = new Set<Future<unknown>>();

/**
 * Returns a future that follows `awaitable` but whose cancellation does not reach it: cancelling
 * the task that awaits the shield throws CancelledError there, while the inner work runs on.
 * If the inner work itself is cancelled, the shield is cancelled too.
 *
 * @example
 * ```ts
 * import { run, shield, createTask, sleep, CancelledError } from "asyncio-ts";
 * await run(async () => {
 *   const inner = createTask(() => sleep(0.02, "saved"));
 *   const waiter = createTask(() => shield(inner));
 *   await sleep(0);
 *   waiter.cancel();
 *   await waiter.catch((e) => console.log(e instanceof CancelledError)); // true
 *   console.log(await inner); // "saved"
 * });
 * ```
 */
export function shield<T>(awaitable: Awaitable<T>): Future<Awaited<T>> {
  const inner = ensureFuture(awaitable) as Future<Awaited<T>>;
  if (inner.done()) return inner;
  const outer = inner._loop.createFuture<Awaited<T>>();
  shielded.add(inner);
  const onInnerDone = (done: Future<Awaited<T>>): void => {
    shielded.delete(done);
    if (outer.cancelled()) {
      if (!done.cancelled()) done.exception(); // mark retrieved: the shield's awaiter left
      return;
    }
    if (done.cancelled()) outer.cancel();
    else {
      const exception = done.exception();
      if (exception !== null) outer.setException(exception);
      else outer.setResult(done.result());
    }
  };
  const onOuterDone = (): void => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
    // The inner work runs on unobserved; keep it referenced until it ends.
    if (!inner.done()) inner.addDoneCallback(() => shielded.delete(inner));
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(onOuterDone);
  return outer;
}
