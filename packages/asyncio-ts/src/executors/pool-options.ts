/**
 * The public option and statistics types of the executor pools, and the static description
 * (`PoolKind`) by which `ThreadPoolExecutor` and `ProcessPoolExecutor` specialise the shared pool.
 * @module
 */
import type { ModuleReference } from "./module-function.js";
import type { WorkerFactory } from "./worker-handle.js";

/** Options of {@link PoolExecutor.shutdown}. */
export interface ShutdownOptions {
  /** Wait until running and queued calls are done and the workers stopped (default true). */
  wait?: boolean;
  /** Cancel the calls that have not started yet (default false). */
  cancelFutures?: boolean;
}

/** Options of {@link PoolExecutor.map}. */
export interface MapOptions {
  /** Items sent to a worker per message (default 1). Larger chunks cut messaging overhead. */
  chunksize?: number;
}

/** A snapshot of a pool's state, for logs and tests. */
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
