/**
 * `ThreadPoolExecutor`: a pool of `worker_threads`, and the loop's default executor (what
 * `runInExecutor(null, ...)` and `toThread` use). Registering it as the default is this
 * module's one side effect.
 * @module
 */
import { availableParallelism } from "node:os";
import { setDefaultExecutorFactory } from "../core/default-executor.js";
import { PoolExecutor } from "./pool-executor.js";
import { startThread } from "./thread-handle.js";

/** Options of {@link ThreadPoolExecutor}. */
export interface ThreadPoolOptions {
  /** The most threads at once; default `min(32, cores + 4)`, like Python. */
  maxWorkers?: number;
}

/**
 * Runs functions on worker threads (Python's `concurrent.futures.ThreadPoolExecutor`).
 * Threads start when needed, are reused, and never keep the process alive while idle. Use
 * threads for CPU-bound JavaScript and for blocking calls (synchronous file or crypto work,
 * `Atomics.wait`); they share the process, start fast, and can move memory (`withTransfer`).
 *
 * A function crosses as source text, so it must be self-contained: no captured variables
 * (it may `await import(...)`). Code with imports runs through `moduleFunction(url, name)`.
 * Arguments and results are structured-cloned.
 * @example
 * ```ts
 * import { run, ThreadPoolExecutor, getRunningLoop } from "asyncio-ts";
 * await run(async () => {
 *   await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 *   // A named function may call itself: its name is declared inside its own source.
 *   function fib(n: number): number {
 *     return n < 2 ? n : fib(n - 1) + fib(n - 2);
 *   }
 *   console.log(await getRunningLoop().runInExecutor(pool, fib, 25)); // 75025
 *   for await (const sq of pool.map((x: number) => x * x, [1, 2, 3])) console.log(sq); // 1 4 9
 * });
 * ```
 */
export class ThreadPoolExecutor extends PoolExecutor {
  constructor(options?: ThreadPoolOptions) {
    super(
      {
        name: "ThreadPoolExecutor",
        defaultWorkers: Math.min(32, availableParallelism() + 4),
        start: startThread,
      },
      options,
    );
  }
}

setDefaultExecutorFactory(() => new ThreadPoolExecutor());
