/**
 * The error classes of asyncio-ts, one per asyncio exception (see API.md, "Translation rules").
 * Every class sets `name`, so `err.name` and stack traces read like their Python originals.
 * @module
 */

/**
 * Misuse of an object in the wrong state (Python's `RuntimeError`): releasing an unlocked lock,
 * creating a task in a finished TaskGroup, calling `run()` inside a running loop.
 * @example
 * ```ts
 * import { Lock, RuntimeError } from "asyncio-ts";
 * try { new Lock().release(); } catch (e) { console.log(e instanceof RuntimeError); } // true
 * ```
 */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/**
 * Raised inside a task when it is cancelled, and by `result()` of a cancelled future.
 * `message` carries the cancel message given to `cancel(msg)` (empty when none was given).
 * Re-throw it after cleanup: swallowing it makes the task ignore the cancellation.
 * @example
 * ```ts
 * import { run, createTask, sleep, CancelledError } from "asyncio-ts";
 * await run(async () => {
 *   const t = createTask(() => sleep(10));
 *   await sleep(0);
 *   t.cancel("stop");
 *   try { await t; } catch (e) { console.log(e instanceof CancelledError, (e as Error).message); } // true "stop"
 * });
 * ```
 */
export class CancelledError extends Error {
  override name = "CancelledError";
}

/**
 * A deadline passed: raised by `waitFor`, `timeout`, `timeoutAt` and `asCompleted`.
 * Its `cause` is the `CancelledError` the deadline used to stop the work, when there was one.
 * @example
 * ```ts
 * import { run, waitFor, sleep, TimeoutError } from "asyncio-ts";
 * await run(async () => {
 *   try { await waitFor(sleep(10), 0.01); } catch (e) { console.log(e instanceof TimeoutError); } // true
 * });
 * ```
 */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * An operation that the object's state does not allow: `result()` of a pending future, a
 * second `setResult()`.
 * @example
 * ```ts
 * import { Future, InvalidStateError } from "asyncio-ts";
 * const f = new Future<number>();
 * try { f.result(); } catch (e) { console.log(e instanceof InvalidStateError); } // true
 * ```
 */
export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

/**
 * Several errors raised together, as by a TaskGroup (Python's `ExceptionGroup`).
 * `exceptions` is the same array as `AggregateError.errors`.
 * @example
 * ```ts
 * import { ExceptionGroup } from "asyncio-ts";
 * const eg = new ExceptionGroup("two failed", [new Error("a"), new TypeError("b")]);
 * console.log(eg.exceptions.length, eg.message); // 2 "two failed (2 sub-exceptions)"
 * ```
 */
export class ExceptionGroup extends AggregateError {
  override name = "ExceptionGroup";
  constructor(message: string, exceptions: readonly unknown[]) {
    if (!Array.isArray(exceptions) || exceptions.length === 0) {
      throw new TypeError(
        `ExceptionGroup() expected a non-empty array of exceptions, got ${describe(exceptions)}`,
      );
    }
    const n = exceptions.length;
    super(exceptions, `${message} (${n} sub-exception${n === 1 ? "" : "s"})`);
  }
  /** The grouped errors (the same array as `errors`). */
  get exceptions(): unknown[] {
    return this.errors;
  }
}

/**
 * The process was asked to stop by the user (Ctrl-C): `run()` rejects with it when the first
 * SIGINT cancelled the main task.
 * @example
 * ```ts
 * import { run, sleep, KeyboardInterrupt } from "asyncio-ts";
 * try { await run(() => sleep(0)); } catch (e) { if (e instanceof KeyboardInterrupt) process.exitCode = 130; }
 * ```
 */
export class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
}

/**
 * A `Barrier` was reset or aborted while a task waited on it.
 * @example
 * ```ts
 * import { BrokenBarrierError } from "asyncio-ts";
 * console.log(new BrokenBarrierError("Barrier aborted").name); // "BrokenBarrierError"
 * ```
 */
export class BrokenBarrierError extends RuntimeError {
  override name = "BrokenBarrierError";
}

/**
 * `getNowait()` on an empty queue.
 * @example
 * ```ts
 * import { QueueEmpty } from "asyncio-ts";
 * console.log(new QueueEmpty().name); // "QueueEmpty"
 * ```
 */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
}

/**
 * `putNowait()` on a full queue.
 * @example
 * ```ts
 * import { QueueFull } from "asyncio-ts";
 * console.log(new QueueFull().name); // "QueueFull"
 * ```
 */
export class QueueFull extends Error {
  override name = "QueueFull";
}

/**
 * `put`/`get` on a queue that was shut down (Python 3.13's `QueueShutDown`).
 * @example
 * ```ts
 * import { QueueShutDown } from "asyncio-ts";
 * console.log(new QueueShutDown().name); // "QueueShutDown"
 * ```
 */
export class QueueShutDown extends Error {
  override name = "QueueShutDown";
}

/**
 * A worker of an executor died (crashed, exited, or could not start): the call it was running
 * fails with this error, and the pool replaces the worker. `exitCode` is the worker's exit code
 * (or, for a process killed by a signal, the signal's name); `cause` is the uncaught error that
 * killed it, when known.
 * @example
 * ```ts
 * import { BrokenExecutorError } from "asyncio-ts";
 * const e = new BrokenExecutorError("worker exited with code 1", { exitCode: 1 });
 * console.log(e.name, e.exitCode); // "BrokenExecutorError" 1
 * ```
 */
export class BrokenExecutorError extends RuntimeError {
  override name = "BrokenExecutorError";
  /** The dead worker's exit code or signal name; undefined when it never started. */
  readonly exitCode: number | string | undefined;
  constructor(message?: string, options?: { exitCode?: number | string; cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.exitCode = options?.exitCode;
  }
}

/** A short description of a value for error messages: its type and, when small, the value. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "number":
      return Number.isNaN(value) ? "NaN" : `the number ${value}`;
    case "string":
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case "function":
      return `a function${value.name ? ` (${value.name})` : ""}`;
    case "object": {
      if (typeof (value as PromiseLike<unknown>).then === "function") return "a promise";
      const ctor = (value as object).constructor?.name;
      return ctor && ctor !== "Object" ? `an instance of ${ctor}` : "an object";
    }
    default:
      return `a ${typeof value}`;
  }
}
