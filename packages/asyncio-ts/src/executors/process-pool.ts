/**
 * `ProcessPoolExecutor`: a pool of child processes (`child_process.fork`) speaking the same
 * protocol as the thread pool over an IPC channel with advanced (structured clone)
 * serialization.
 * @module
 */
import { availableParallelism } from "node:os";
import { PoolExecutor } from "./pool-executor.js";
import { startProcess } from "./process-handle.js";

/** Options of {@link ProcessPoolExecutor}. */
export interface ProcessPoolOptions {
  /** The most processes at once; default: the number of cores, like Python. */
  maxWorkers?: number;
}

/**
 * Runs functions in worker processes (Python's `concurrent.futures.ProcessPoolExecutor`).
 * Processes start when needed, are reused, and never keep the parent alive while idle.
 * Prefer them over threads when work must be isolated: a crash, `process.exit()`, a native
 * addon that is not thread-safe, `process.chdir()`, or memory that should go back to the OS.
 * They cost more to start and every value is copied (transfer lists are accepted but copy).
 *
 * Functions follow the same rules as for threads: self-contained source or `moduleFunction`.
 * @example
 * ```ts
 * import { ProcessPoolExecutor } from "asyncio-ts";
 * await using pool = new ProcessPoolExecutor({ maxWorkers: 2 });
 * const pid = await pool.submit(() => process.pid);
 * console.log(pid !== process.pid); // true: it ran in another process
 * ```
 */
export class ProcessPoolExecutor extends PoolExecutor {
  constructor(options?: ProcessPoolOptions) {
    super(
      { name: "ProcessPoolExecutor", defaultWorkers: availableParallelism(), start: startProcess },
      options,
    );
  }
}
