/**
 * `toThread`: asyncio's `to_thread`, a blocking or CPU-bound call on the default thread pool.
 * @module
 */
import { eventLoop } from "../core/context.js";
import type { Future } from "../core/future.js";
import type { ModuleReference } from "./module-function.js";
import { functionSpec } from "./source-function.js";
import "./thread-pool.js"; // registers the default executor factory

/**
 * Runs `fn(...args)` on the loop's default executor (a `ThreadPoolExecutor` unless
 * `loop.setDefaultExecutor` chose another) and returns a future of the result.
 * `fn` must be self-contained: it runs in a worker, in an empty scope, so it may use its
 * arguments, globals and `await import(...)`, but no variable of the code around it (the call
 * fails at once with a `TypeError` naming the captured variables). For code with imports, pass
 * `moduleFunction(new URL("./file.js", import.meta.url), "name")`.
 *
 * Cancelling the future, the task awaiting it, or a `waitFor` around it stops the work:
 * a queued call is removed, a running one has its thread terminated (and replaced).
 *
 * Differences from Python: the function cannot share memory with the caller (arguments and
 * results are structured-cloned; see `withTransfer`), and context variables are not copied.
 * @example
 * ```ts
 * import { run, toThread } from "asyncio-ts";
 * await run(async () => {
 *   const blockingSleep = (s: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000);
 *   await toThread(blockingSleep, 0.1); // the loop keeps running other tasks meanwhile
 * });
 * ```
 */
export function toThread<A extends unknown[], R>(
  fn: ((...args: A) => R | Promise<R>) | ModuleReference,
  ...args: A
): Future<Awaited<R>> {
  functionSpec(fn, "toThread"); // refuse a capturing function with an error that names toThread
  return eventLoop().runInExecutor(null, fn as (...args: A) => R | Promise<R>, ...args);
}
