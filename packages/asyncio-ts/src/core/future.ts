/**
 * Future: asyncio's low-level awaitable, a result that will be set once.
 *
 * Design notes
 * - Awaiting. `await future` calls `then()`, which (through the task context, context.ts) learns which task
 *   is awaiting and records the future as that task's waiter. `task.cancel()` then cancels the
 *   waiter, exactly as asyncio's `Task.cancel` cancels `_fut_waiter`; the cancelled future
 *   rejects the await with CancelledError. This is mechanism 2 of ARCHITECTURE.md.
 * - Settling. A native promise is created on the first `then()` only and settled with the
 *   future, so awaiting costs one native promise and unawaited futures cost none. Done callbacks
 *   are scheduled through the loop's ready queue, never run synchronously inside `setResult`.
 * - Unretrieved errors. A future that fails while nobody awaits it is tracked; if nobody reads
 *   the error before it is garbage-collected or before `run()` ends, the loop's exception handler
 *   reports "Future exception was never retrieved" (asyncio reports it from `__del__`).
 */
import { CancelledError, InvalidStateError, RuntimeError } from "../errors.js";
import { currentTaskOrUndefined, eventLoop } from "./context.js";
import type { EventLoop } from "./loop.js";

/** Future states. Invariant: a future leaves PENDING exactly once. */
export const PENDING = 0;
export const FULFILLED = 1;
export const REJECTED = 2;
export const CANCELLED = 3;
type State = typeof PENDING | typeof FULFILLED | typeof REJECTED | typeof CANCELLED;

/** A callback given to `addDoneCallback`; it receives the finished future. */
export type DoneCallback<T> = (future: Future<T>) => void;

/** One done callback, or several in registration order (one is by far the common case). */
type Callbacks = DoneCallback<any> | DoneCallback<any>[];

function runDoneCallbacks(future: Future<any>, callbacks: Callbacks): void {
  if (typeof callbacks === "function") runDoneCallback(future, callbacks);
  else for (const callback of callbacks) runDoneCallback(future, callback);
}

/** @internal Calls one done callback; what it throws goes to the loop's exception handler. */
export function runDoneCallback(future: Future<any>, callback: DoneCallback<any>): void {
  try {
    callback(future);
  } catch (exception) {
    future._loop.callExceptionHandler({
      message: `Exception in callback ${callback.name || "(anonymous)"} of ${future}`,
      exception,
      future,
    });
  }
}

/**
 * A result that will be set once, by `setResult`, `setException` or `cancel` (asyncio.Future).
 * Awaitable (`await future`), and usable as a Promise (`then`, `catch`, `finally`).
 * Awaiting a future from a task that is then cancelled cancels the future.
 *
 * @example
 * ```ts
 * import { Future, run, getRunningLoop } from "asyncio-ts";
 * await run(async () => {
 *   const fut = new Future<string>();
 *   getRunningLoop().callLater(0.01, () => fut.setResult("ready"));
 *   console.log(await fut); // "ready"
 * });
 * ```
 */
export class Future<T> implements Promise<T> {
  /** @internal The loop that schedules this future's callbacks. */
  _loop: EventLoop;
  /** @internal */ _state: State = PENDING;
  /** @internal The result, or the exception when REJECTED. */
  _value: unknown = undefined;
  /** @internal */ _cancelMessage: string | undefined = undefined;
  /** @internal The CancelledError every observer of a cancelled future gets (one object). */
  _cancelledExc: CancelledError | undefined = undefined;
  /** @internal Invariant: null once the future is done (callbacks were handed to the loop). */
  _callbacks: Callbacks | null = null;
  /** @internal Settled with the future; created by the first `then()`. */
  _promise: Promise<T> | null = null;
  // `any` keeps Future<T> assignable to Future<unknown> (these fields would make T invariant).
  private _resolvePromise: ((value: any) => void) | null = null;
  private _rejectPromise: ((reason: unknown) => void) | null = null;
  /** @internal True while a failure has not been observed by anyone. */
  _logTraceback = false;
  /** @internal Something to cancel when this future is cancelled (the timer of a sleep). */
  _onCancel: { cancel(): void } | null = null;
  /**
   * @internal What this future stands for when a task waits on it (a Lock, a Queue, a
   * TaskGroup): introspection shows `String(_owner)` as what the task awaits.
   */
  _owner: object | null = null;

  /** Creates a pending future bound to the running loop (or the global loop outside `run`). */
  constructor(loop?: EventLoop) {
    this._loop = loop ?? eventLoop();
  }

  get [Symbol.toStringTag](): string {
    return "Future";
  }

  /** True once the future has a result, an exception, or was cancelled. */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** True if the future was cancelled. */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result. Throws the exception if the future failed, `CancelledError` if it was
   * cancelled, `InvalidStateError` if it is still pending.
   */
  result(): T {
    switch (this._state) {
      case FULFILLED:
        return this._value as T;
      case REJECTED:
        this._markRetrieved();
        throw this._value;
      case CANCELLED:
        throw this._makeCancelledError();
      default:
        throw new InvalidStateError(`Result is not ready: ${this}`);
    }
  }

  /**
   * The exception the future failed with, or `null` if it succeeded. Throws `CancelledError`
   * if it was cancelled and `InvalidStateError` if it is still pending.
   */
  exception(): unknown {
    switch (this._state) {
      case FULFILLED:
        return null;
      case REJECTED:
        this._markRetrieved();
        return this._value;
      case CANCELLED:
        throw this._makeCancelledError();
      default:
        throw new InvalidStateError(`Exception is not set: ${this}`);
    }
  }

  /** Marks the future done with `value`. Throws `InvalidStateError` if it is already done. */
  setResult(value: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`invalid state: ${this}`);
    this._settle(FULFILLED, value);
  }

  /** Marks the future failed with `exception`. Throws `InvalidStateError` if already done. */
  setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`invalid state: ${this}`);
    this._settle(REJECTED, exception);
  }

  /**
   * Cancels the future: it becomes done and its awaiters get `CancelledError(msg)`.
   * Returns false if it was already done.
   */
  cancel(msg?: string): boolean {
    if (this._state !== PENDING) return false;
    this._cancelMessage = msg;
    this._settle(CANCELLED, undefined);
    return true;
  }

  /** Calls `callback(future)` from the loop once the future is done (soon, if it already is). */
  addDoneCallback(callback: DoneCallback<T>): void {
    if (typeof callback !== "function") {
      throw new TypeError(`addDoneCallback() expected a function, got ${typeof callback}`);
    }
    const callbacks = this._callbacks;
    if (this._state !== PENDING) {
      this._loop._callSoonInternal(runDoneCallbacks, this, callback);
    } else if (callbacks === null) {
      this._callbacks = callback;
    } else if (typeof callbacks === "function") {
      this._callbacks = [callbacks, callback];
    } else {
      callbacks.push(callback);
    }
  }

  /** Removes every registration of `callback`; returns how many were removed. */
  removeDoneCallback(callback: DoneCallback<T>): number {
    const callbacks = this._callbacks;
    if (callbacks === null) return 0;
    if (typeof callbacks === "function") {
      if (callbacks !== callback) return 0;
      this._callbacks = null;
      return 1;
    }
    const kept = callbacks.filter((cb) => cb !== callback);
    this._callbacks = kept.length === 0 ? null : kept.length === 1 ? kept[0]! : kept;
    return callbacks.length - kept.length;
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const task = currentTaskOrUndefined();
    if (task === undefined) return this._nativePromise().then(onFulfilled, onRejected);
    if ((task as unknown) === this) {
      return Promise.reject(new RuntimeError(`Task cannot await on itself: ${this}`)).then(
        onFulfilled,
        onRejected,
      );
    }
    // The awaiting task now waits on this future: task.cancel() will cancel it.
    task._futWaiter = this;
    if (task._mustCancel) {
      // A cancellation was requested while the task ran foreign code; deliver it here.
      task._mustCancel = false;
      if (!this.cancel(task._cancelMessage)) {
        // Already done: every await is a cancellation point, so the await still fails.
        return Promise.reject(new CancelledError(task._cancelMessage ?? "")).then(
          onFulfilled,
          onRejected,
        );
      }
    }
    // On resume (asyncio's Task.__step): forget the waiter, so a later cancel() never cancels a
    // future the task stopped waiting for; and if a cancellation is still pending, it replaces
    // the outcome and is consumed, so two quick cancel() calls are delivered once.
    const resumeWithError = (reason: unknown): R1 | R2 | PromiseLike<R1 | R2> => {
      if (task._futWaiter === this) task._futWaiter = null;
      if (task._mustCancel) {
        task._mustCancel = false;
        if (!(reason instanceof CancelledError))
          reason = new CancelledError(task._cancelMessage ?? "");
      }
      if (onRejected) return onRejected(reason);
      throw reason;
    };
    return this._nativePromise().then((value) => {
      if (task._mustCancel) return resumeWithError(undefined);
      if (task._futWaiter === this) task._futWaiter = null;
      return onFulfilled ? onFulfilled(value) : (value as unknown as R1);
    }, resumeWithError);
  }

  catch<R = never>(onRejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then(
      (value) => Promise.resolve(onFinally?.()).then(() => value),
      (reason) =>
        Promise.resolve(onFinally?.()).then(() => {
          throw reason;
        }),
    );
  }

  toString(): string {
    return `<${this.constructor.name}${this._describeState()}>`;
  }

  /** @internal Text after the class name in toString(). */
  _describeState(): string {
    switch (this._state) {
      case PENDING:
        return " pending";
      case CANCELLED:
        return " cancelled";
      case REJECTED:
        return ` finished exception=${String(this._value)}`;
      default:
        return ` finished result=${shortRepr(this._value)}`;
    }
  }

  /** @internal The CancelledError observers of this cancelled future see. */
  _makeCancelledError(): CancelledError {
    if (this._cancelledExc === undefined) {
      this._cancelledExc = new CancelledError(this._cancelMessage ?? "");
    }
    return this._cancelledExc;
  }

  /** @internal The one transition out of PENDING. */
  _settle(state: State, value: unknown): void {
    this._state = state;
    this._value = value;
    if (state === CANCELLED) {
      this._logTraceback = false;
      const onCancel = this._onCancel;
      if (onCancel !== null) onCancel.cancel();
    }
    this._onCancel = null;
    if (this._resolvePromise !== null) {
      if (state === FULFILLED) this._resolvePromise(value as T);
      else this._rejectPromise!(state === CANCELLED ? this._makeCancelledError() : value);
      this._resolvePromise = this._rejectPromise = null;
    } else if (state === REJECTED && !(value instanceof CancelledError)) {
      // Nobody awaits yet: report the error unless someone retrieves it later.
      this._logTraceback = true;
      this._loop._unretrieved.track(this);
    }
    const callbacks = this._callbacks;
    if (callbacks !== null) {
      this._callbacks = null;
      this._loop._callSoonInternal(runDoneCallbacks, this, callbacks);
    }
  }

  /** @internal Somebody looked at the failure: do not report it as never retrieved. */
  _markRetrieved(): void {
    if (this._logTraceback) {
      this._logTraceback = false;
      this._loop._unretrieved.untrack(this);
    }
  }

  /** @internal The native promise settled with this future. */
  _nativePromise(): Promise<T> {
    let promise = this._promise;
    if (promise === null) {
      switch (this._state) {
        case PENDING:
          promise = new Promise<T>((resolve, reject) => {
            this._resolvePromise = resolve;
            this._rejectPromise = reject;
          });
          break;
        case FULFILLED:
          promise = Promise.resolve(this._value as T);
          break;
        case REJECTED:
          promise = Promise.reject(this._value);
          break;
        default:
          promise = Promise.reject(this._makeCancelledError());
      }
      this._promise = promise;
    }
    this._markRetrieved();
    return promise;
  }
}

function shortRepr(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * @internal A promise made by the library may carry, under this key, the object whose `cancel()`
 * stops the work behind it (sleep's waiter); adopting the promise into a future links the two.
 */
export const STOP: unique symbol = Symbol("asyncio-ts.stop");

/** True for objects with a callable `then` (promises, futures, other thenables). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

/**
 * @internal A future that follows a foreign promise. The promise cannot be stopped; if the future
 * is cancelled first, the promise's outcome is dropped (and its rejection marked handled).
 */
/** What an adopted promise's future shows in introspection (one shared object, no allocation). */
const FOREIGN_PROMISE = { toString: () => "a promise (not asyncio-ts; cancellable)" };

export function adoptPromise<T>(promise: PromiseLike<T>, loop?: EventLoop): Future<T> {
  const future = new Future<T>(loop);
  future._owner = FOREIGN_PROMISE;
  // A promise that knows how to stop its work (a sleep's timer) is stopped with the future.
  const stop = (promise as { [STOP]?: { cancel(): void } })[STOP];
  if (stop !== undefined) future._onCancel = stop;
  promise.then(
    (value) => {
      if (future._state === PENDING) future.setResult(value);
    },
    (reason) => {
      if (future._state === PENDING) future.setException(reason);
    },
  );
  return future;
}
