/**
 * The seam between the loop and the executors: the loop runs `runInExecutor(null, ...)` on a
 * default executor made by a factory that the thread-pool module registers when it loads.
 * This keeps the kernel free of any import of the executors.
 */
import { RuntimeError } from "../errors.js";
import type { Future } from "./future.js";

/** What the loop needs of an executor (ThreadPoolExecutor and ProcessPoolExecutor implement it). */
export interface Executor {
  submit<A extends unknown[], R>(
    fn: (...args: A) => R | Promise<R>,
    ...args: A
  ): Future<Awaited<R>>;
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): Promise<void>;
  /**
   * @internal Optional: stops every call now, queued or running (a running call's worker is
   * terminated), cancelling their futures. What `shutdownDefaultExecutor(timeout)` does after the
   * timeout; an executor without it gets `shutdown({ wait: false, cancelFutures: true })`.
   */
  _stopAll?(): void;
}

let factory: (() => Executor) | null = null;

/** @internal Registered by the thread-pool module. */
export function setDefaultExecutorFactory(make: () => Executor): void {
  factory = make;
}

/** @internal */
export function createDefaultExecutor(): Executor {
  if (factory === null) {
    throw new RuntimeError("no default executor is available: import it from 'asyncio-ts'");
  }
  return factory();
}
