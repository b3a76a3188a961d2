/**
 * The public option and statistics types of the executor pools, and the static description
 * (`PoolKind`) by which `ThreadPoolExecutor` and `ProcessPoolExecutor` specialise the shared pool.
 * @module
 */
import type { ModuleReference } from "./module-function.js";
import type { WorkerFactory } from "./worker-handle.js";

/**
 * Options of {@link PoolExecutor.shutdown}.
 * @example
 * ```ts
 * import { ThreadPoolExecutor } from "asyncio-ts";
 * const pool = new ThreadPoolExecutor();
 * await pool.shutdown({ wait: false, cancelFutures: true }); // drop queued calls, do not wait
 * ```
 */
export interface ShutdownOptions {
  /** Wait until running and queued calls are done and the workers stopped (default true). */
  wait?: boolean;
  /** Cancel the calls that have not started yet (default false). */
  cancelFutures?: boolean;
}

/**
 * Options of {@link PoolExecutor.map}.
 * @example
 * ```ts
 * import { ThreadPoolExecutor } from "asyncio-ts";
 * await using pool = new ThreadPoolExecutor();
 * for await (const y of pool.map((x: number) => x * 2, [1, 2, 3, 4], { chunksize: 2 })) console.log(y);
 * ```
 */
export interface MapOptions {
  /** Items sent to a worker per message (default 1). Larger chunks cut messaging overhead. */
  chunksize?: number;
}

/**
 * A snapshot of a pool's state, for logs and tests.
 * @example
 * ```ts
 * import { ThreadPoolExecutor } from "asyncio-ts";
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * console.log(pool.statistics()); // { state: "running", maxWorkers: 2, workers: 0, idle: 0, running: 0, queued: 0 }
 * ```
 */
export interface PoolStatistics {
  readonly state: "running" | "shutting-down" | "shut-down";
  readonly maxWorkers: number;
  /** Workers started and alive. */
  readonly workers: number;
  /** Workers waiting for a call. */
  readonly idle: number;
  /** Calls running on a worker now. */
  readonly running: number;
  /** Calls waiting for a worker (cancelled calls are not counted). */
  readonly queued: number;
}

/** Static description of a pool kind, given by the subclass. */
export interface PoolKind {
  /** Class name for messages (`"ThreadPoolExecutor"`). */
  readonly name: string;
  /** The worker count when `maxWorkers` is not given. */
  readonly defaultWorkers: number;
  readonly start: WorkerFactory;
}

/** Something a pool can run: a self-contained function, a `moduleFunction`, or `{ module, export }`. */
export type PoolCallable<A extends unknown[], R> =
  | ((...args: A) => R | Promise<R>)
  | ModuleReference;
