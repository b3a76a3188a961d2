/**
 * The event loop: a ready queue, one timer heap, a clock, and the bookkeeping of its tasks.
 *
 * JavaScript already has an event loop; this one sits on top of it (like asyncio on top of
 * selectors):
 * - The ready queue is drained in a microtask, outside any task's context, one batch at a time:
 *   what a batch schedules runs in the next drain, after the microtasks the batch queued (as
 *   asyncio's `_run_once` runs only the callbacks that were ready when it began).
 * - Timers live in one heap driven by one native `setTimeout` (mechanism 3); with a virtual
 *   clock no native timer is used: whenever the process is idle (a `setImmediate` runs, so every
 *   microtask is done) the clock jumps to the next deadline.
 * - "Yields" (`sleep(0)`) run from one shared `setImmediate`, after pending I/O callbacks.
 */
import { describe, RuntimeError } from "../errors.js";
import { checkOptions, validateDelay, validateTimeout } from "../validate.js";
import { RESOLVED_VOID } from "./bare-promise.js";
import { CallQueue } from "./call-queue.js";
import { type Clock, realClock } from "./clock.js";
import {
  enterLoop,
  outsideAnyTask,
  registerGlobalLoopFactory,
  runningLoopOrNull,
} from "./context.js";
import { createDefaultExecutor, type Executor } from "./default-executor.js";
import {
  type ExceptionContext,
  type ExceptionHandler,
  formatExceptionContext,
} from "./exception-context.js";
import { Future } from "./future.js";
import { Handle, TimerHandle } from "./handle.js";
import { joinExecutor } from "./join-executor.js";
import { type SettledCallback, Task, type TaskOptions } from "./task.js";
import { TaskList } from "./task-list.js";
import { TimerHeap } from "./timer-heap.js";
import { UnretrievedErrors } from "./unretrieved.js";

/** Options for a new loop; `run()` creates one per call. */
export interface EventLoopOptions {
  clock?: Clock;
  debug?: boolean;
}

/** Timers due within this many seconds are run together (native timers are ms-granular). */
const REAL_CLOCK_RESOLUTION = 0.001;

/**
 * The longest delay Node's setTimeout accepts (2^31 - 1 ms, about 24.8 days): a longer one is
 * replaced by 1 ms, with a warning, every time. A timer further away (`callLater` of a month,
 * `timeout(Infinity)`) is reached in steps of this size; asyncio's selectors cap their wait too.
 */
const MAX_NATIVE_DELAY_MS = 2 ** 31 - 1;

function runHandle(handle: Handle): void {
  handle._run();
}

function validateCallback(what: string, callback: unknown): void {
  if (typeof callback !== "function") {
    throw new TypeError(`${what} expected a callback function, got ${describe(callback)}`);
  }
}

/**
 * The event loop. Get it with `getRunningLoop()` inside `run()`; it offers asyncio's loop API
 * with times in seconds.
 *
 * @example
 * ```ts
 * import { run, getRunningLoop } from "asyncio-ts";
 * await run(async () => {
 *   const loop = getRunningLoop();
 *   const fut = loop.createFuture<string>();
 *   loop.callLater(0.01, () => fut.setResult("later"));
 *   console.log(loop.time() >= 0, await fut); // true "later"
 * });
 * ```
 */
export class EventLoop {
  /** The clock this loop reads time from. */
  readonly clock: Clock;
  /** In debug mode, callbacks slower than this (seconds) are reported. */
  slowCallbackDuration = 0.1;
  /** @internal */ readonly _unretrieved = new UnretrievedErrors(this);
  /** Invariant: exactly the tasks of this loop that are not done, in creation order. */
  private readonly tasks = new TaskList();
  private readonly ready = new CallQueue();
  private readonly yields = new CallQueue();
  private readonly timers = new TimerHeap();
  private timerSeq = 0;
  private drainScheduled = false;
  private nativeTimer: ReturnType<typeof setTimeout> | null = null;
  private nativeTimerWhen = Number.POSITIVE_INFINITY;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private closed = false;
  /** @internal Debug mode (read on hot paths, hence a plain field). */
  _debug: boolean;
  /**
   * @internal The clock's time when the loop last ran callbacks: a cheap, approximate "now" for
   * task ages (exact under a VirtualClock). Reading the real clock costs ~100 ns, too much to pay
   * for every task.
   */
  _coarseNow: number;
  private exceptionHandler: ExceptionHandler | null = null;
  private defaultExecutor: Executor | null = null;
  /** Set by shutdownDefaultExecutor(): the default executor may not be used again (asyncio). */
  private defaultExecutorShutDown = false;
  /**
   * @internal True for the process-wide loop used outside `run()`, which is never closed: see
   * onTimerCancelled.
   */
  _releasesIdleTimer = false;
  /**
   * A cancelled timer stays in the heap until it reaches a front (timer-heap.ts), and the native
   * timer stays armed for the earliest deadline even if that timer was cancelled; it fires, finds
   * nothing due and re-arms. Inside `run()` that is harmless and cheap (the loop closes when main
   * ends, clearing it). The global loop is never closed, so there a native timer left armed for
   * cancelled timers only would keep the process alive until a deadline nobody waits for
   * (`await waitFor(x, 60)` at top level would delay exit by 60 s): once no live timer is left,
   * it is cleared. Not done for run()'s loops: it would add a clear and a re-arm to every
   * sequential `timeout()` scope.
   */
  private readonly onTimerCancelled = (): void => {
    const timers = this.timers;
    timers.noteCancelled();
    if (this._releasesIdleTimer && this.nativeTimer !== null && timers.peek() === undefined) {
      this.disarmNativeTimer();
    }
  };

  constructor(options: EventLoopOptions = {}) {
    checkOptions("new EventLoop()", options, ["clock", "debug"]);
    this.clock = options.clock === undefined ? realClock : checkClock(options.clock);
    this._debug = options.debug ?? false;
    this._coarseNow = this.clock.time();
  }

  /** The loop's current time in seconds (monotonic; virtual under a VirtualClock). */
  time(): number {
    return this.clock.time();
  }

  /** Schedules `callback(...args)` to run soon, after the callbacks already scheduled. */
  callSoon<A extends unknown[]>(callback: (...args: A) => void, ...args: A): Handle {
    validateCallback("callSoon()", callback);
    this.checkOpen();
    const handle = new Handle(callback, args);
    this._callSoonInternal(runHandle, handle, undefined);
    return handle;
  }

  /** Schedules `callback(...args)` after `delay` seconds (negative delays act as 0). */
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => void,
    ...args: A
  ): TimerHandle {
    const seconds = validateDelay("callLater()", delay);
    return this.callAt(this.clock.time() + seconds, callback, ...args);
  }

  /** Schedules `callback(...args)` at loop time `when` (seconds, as returned by `time()`). */
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => void,
    ...args: A
  ): TimerHandle {
    if (typeof when !== "number" || Number.isNaN(when)) {
      throw new TypeError(`callAt() expected a loop time in seconds, got ${describe(when)}`);
    }
    validateCallback("callAt()", callback);
    this.checkOpen();
    const timer = new TimerHandle(when, this.timerSeq++, callback, args);
    this._addTimer(timer);
    return timer;
  }

  /** A new pending Future bound to this loop. */
  createFuture<T>(): Future<T> {
    return new Future<T>(this);
  }

  /** Starts `fn` as a new task on this loop (see `createTask`). */
  createTask<T>(fn: () => T | PromiseLike<T>, options?: TaskOptions): Task<Awaited<T>> {
    return this._createTask(fn, options, null);
  }

  /**
   * @internal `createTask`, plus `onSettled`: called synchronously the moment the task settles,
   * outside any task (see `createObservedTask` in internal.ts).
   */
  _createTask<T>(
    fn: () => T | PromiseLike<T>,
    options: TaskOptions | undefined,
    onSettled: SettledCallback | null,
  ): Task<Awaited<T>> {
    if (typeof fn !== "function") {
      throw new TypeError(
        `createTask() expected a function that returns a promise (like \`() => work(1)\`), got ${describe(fn)}`,
      );
    }
    this.checkOpen();
    return new Task(fn as () => Awaited<T>, options, this, onSettled);
  }

  /**
   * Runs `fn(...args)` on `executor`, or on the default thread pool when it is null; returns a
   * future of the result. Cancelling the awaiting task cancels the call.
   */
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    fn: (...args: A) => R | Promise<R>,
    ...args: A
  ): Future<Awaited<R>> {
    this.checkOpen();
    const target = executor ?? this.getDefaultExecutor();
    return target.submit(fn, ...args);
  }

  /** Replaces the executor that `runInExecutor(null, ...)` and `toThread` use. */
  setDefaultExecutor(executor: Executor): void {
    if (
      executor === null ||
      typeof executor !== "object" ||
      typeof executor.submit !== "function"
    ) {
      throw new TypeError(
        `setDefaultExecutor() expected an executor (ThreadPoolExecutor or ProcessPoolExecutor), got ${describe(executor)}`,
      );
    }
    this.defaultExecutor = executor;
  }

  /**
   * Shuts the default executor down, waiting for its calls: without limit, or for at most
   * `timeout` seconds (of real time, also under a VirtualClock: threads run in real time).
   * Past the limit it warns (a `RuntimeWarning` through `process.emitWarning`, as asyncio's
   * `warnings.warn`) and stops the calls still running, terminating their threads, so that they
   * do not keep the process alive; asyncio leaves them running. `run()` passes 300 seconds
   * (asyncio's `THREAD_JOIN_TIMEOUT`). Afterwards `toThread` and `runInExecutor(null, ...)` on
   * this loop throw RuntimeError, as in asyncio, even after `setDefaultExecutor()`.
   *
   * @example
   * ```ts
   * import { run, getRunningLoop, toThread } from "asyncio-ts";
   * await run(async () => {
   *   void toThread(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)); // never ends
   *   await getRunningLoop().shutdownDefaultExecutor(1); // warns after 1 s and stops the thread
   * });
   * ```
   */
  async shutdownDefaultExecutor(timeout: number | null = null): Promise<void> {
    const seconds = validateTimeout("shutdownDefaultExecutor()", timeout);
    const executor = this.defaultExecutor;
    this.defaultExecutor = null;
    this.defaultExecutorShutDown = true;
    if (executor !== null) await joinExecutor(executor, seconds);
  }

  /** Sets the function that receives errors nobody else handled; null restores the default. */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError(
        `setExceptionHandler() expected a function or null, got ${describe(handler)}`,
      );
    }
    this.exceptionHandler = handler;
  }

  /** The current exception handler, or null for the default one. */
  getExceptionHandler(): ExceptionHandler | null {
    return this.exceptionHandler;
  }

  /** Passes `context` to the exception handler (the default one logs to stderr). */
  callExceptionHandler(context: ExceptionContext): void {
    if (this.exceptionHandler === null) {
      this.defaultExceptionHandler(context);
      return;
    }
    try {
      this.exceptionHandler(this, context);
    } catch (exception) {
      this.defaultExceptionHandler({ message: "Unhandled error in exception handler", exception });
      this.defaultExceptionHandler(context);
    }
  }

  /** The default exception handler: logs the message, the object and the stacks to stderr. */
  defaultExceptionHandler(context: ExceptionContext): void {
    console.error(formatExceptionContext(context));
  }

  /** True in debug mode (`run(main, { debug: true })`). */
  getDebug(): boolean {
    return this._debug;
  }

  /** Turns debug mode on or off. */
  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  /** True once `close()` was called. */
  isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs `awaitable` (a future, task, promise or function) on this loop and resolves with its
   * result — the seeds' `loop.run_until_complete(...)`. In JavaScript it cannot block, so await it.
   * Errors reject, also a bad argument or a closed loop (docs/errors.md).
   */
  runUntilComplete<T>(
    awaitable: Future<T> | PromiseLike<T> | (() => T | PromiseLike<T>),
  ): Promise<T> {
    // Errors reject, never throw: it returns a Promise (docs/errors.md).
    if (this.closed) return Promise.reject(new RuntimeError(`Event loop is closed: ${this}`));
    let future: Future<T>;
    if (awaitable instanceof Future) future = awaitable;
    else if (typeof awaitable === "function") future = this.createTask(awaitable) as Future<T>;
    else if (awaitable !== null && typeof (awaitable as PromiseLike<T>)?.then === "function") {
      future = this.createTask(() => awaitable) as Future<T>;
    } else {
      return Promise.reject(
        new TypeError(
          `runUntilComplete() expected a future, task, promise or function, got ${describe(awaitable)}`,
        ),
      );
    }
    return future._nativePromise();
  }

  /** Closes the loop: pending timers are dropped and scheduling anything throws RuntimeError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.clear();
    this.ready.clear();
    this.yields.clear();
    this.disarmNativeTimer();
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.immediate = null;
  }

  toString(): string {
    const state = this.closed ? "closed" : "open";
    return `<EventLoop ${state} tasks=${this.tasks.size} clock=${this.clock.virtual ? "virtual" : "real"}>`;
  }

  // ---- kernel-internal API --------------------------------------------------------------

  /** @internal Queues `fn(a, b)` on the ready queue without allocating a Handle. */
  _callSoonInternal<A, B>(fn: (a: A, b: B) => void, a: A, b: B): void {
    this.ready.push(fn, a, b);
    if (!this.drainScheduled) this.scheduleDrain();
  }

  /** @internal Queues `fn(a, b)` to run after pending I/O callbacks (what `sleep(0)` waits for). */
  _callAfterIo<A, B>(fn: (a: A, b: B) => void, a: A, b: B): void {
    this.yields.push(fn, a, b);
    this.scheduleImmediate();
  }

  /**
   * @internal `_callAfterIo` with a handle to cancel it: `fn(a)` runs in FIFO order with the
   * `sleep(0)` yields queued after it (a deadline that has already passed uses this).
   */
  _handleAfterIo<A>(fn: (a: A) => void, a: A): Handle {
    const handle = new Handle(fn, null);
    handle._a = a;
    this._callAfterIo(runHandle, handle, undefined);
    return handle;
  }

  /** @internal Adds a timer made by `callAt` or by the kernel (sleep, deadlines). */
  _addTimer(timer: TimerHandle): void {
    timer._onCancel = this.onTimerCancelled;
    this.timers.push(timer);
    if (this.clock.virtual) this.scheduleImmediate();
    else if (timer._when < this.nativeTimerWhen) this.armNativeTimer();
  }

  /** @internal A kernel timer: `fn(a, b)` at loop time `when`. */
  _timerAt<A, B>(when: number, fn: (a: A, b: B) => void, a: A, b: B): TimerHandle {
    const timer = new TimerHandle(when, this.timerSeq++, fn, null);
    timer._a = a;
    timer._b = b;
    this._addTimer(timer);
    return timer;
  }

  /** @internal */
  _registerTask(task: Task<unknown>): void {
    this.tasks.add(task);
  }

  /** @internal */
  _unregisterTask(task: Task<unknown>): void {
    this.tasks.remove(task);
  }

  /** @internal The pending tasks of this loop, in creation order. */
  _pendingTasks(): Task<unknown>[] {
    return this.tasks.toArray();
  }

  // ---- scheduling ------------------------------------------------------------------------

  private getDefaultExecutor(): Executor {
    // As asyncio's _check_default_executor: quietly starting a new pool after the shutdown would
    // leave worker threads that nothing shuts down any more.
    if (this.defaultExecutorShutDown) {
      throw new RuntimeError(
        "Executor shutdown has been called: shutdownDefaultExecutor() already shut this loop's default executor down; pass an executor to runInExecutor()",
      );
    }
    if (this.defaultExecutor === null) this.defaultExecutor = createDefaultExecutor();
    return this.defaultExecutor;
  }

  private checkOpen(): void {
    if (this.closed) throw new RuntimeError(`Event loop is closed: ${this}`);
  }

  /**
   * Queues a drain of the ready queue. A reaction to a settled promise, not queueMicrotask: Node
   * wraps each queueMicrotask callback in an AsyncResource with its own async id, and a drain is
   * queued about once per finished task. The drain runs its callbacks outside any task either
   * way; in debug mode it is also queued outside any task, so the slow-code monitor does not
   * blame the task that happened to schedule it for the time of the whole drain.
   */
  private scheduleDrain(): void {
    this.drainScheduled = true;
    if (this._debug) outsideAnyTask(queueDrain, this.drain);
    else queueDrain(this.drain);
  }

  /**
   * Runs one batch of the ready queue (what was in it when the drain began), outside any task's
   * context; what the batch schedules waits for the next drain, after the microtasks the batch
   * queued (asyncio's `_run_once` runs only the callbacks ready when it starts, too). So a task
   * created in a task's first step starts after that step's `await` has reached it, and a cancel
   * that reached the creator meanwhile is passed on before the new task runs (see
   * startAfterCreatorsAwait in task.ts, and cancel-before-start.test.ts).
   * Invariant: `drainScheduled` is true from the moment a drain is queued until its batch ends.
   */
  private readonly drain = (): void => {
    outsideAnyTask(runCallbacks, this);
    this.drainScheduled = false;
    if (this.ready.length > 0) this.scheduleDrain();
  };

  /** @internal Runs one batch of the ready queue (timing each callback in debug mode). */
  _runCallbacks(): void {
    if (this._debug) this.runReadyDebug();
    else this.runReady();
  }

  private runReady(): void {
    this._coarseNow = this.clock.time();
    const previous = enterLoop(this);
    const ready = this.ready;
    try {
      for (let batch = ready.length; batch > 0 && ready.length > 0; batch--) {
        try {
          ready.runOne();
        } catch (exception) {
          this.callExceptionHandler({ message: "Exception in callback", exception });
        }
      }
    } finally {
      enterLoop(previous);
    }
  }

  /** runReady, timing every callback against `slowCallbackDuration` (debug mode). */
  private runReadyDebug(): void {
    this._coarseNow = this.clock.time();
    const previous = enterLoop(this);
    const ready = this.ready;
    try {
      for (let batch = ready.length; batch > 0 && ready.length > 0; batch--) {
        const what = ready.peekFirstArgument();
        // Described before it runs: a task that finishes in this callback would read "finished".
        const description =
          what instanceof Task || what instanceof Handle ? String(what) : undefined;
        const t0 = performance.now();
        try {
          ready.runOne();
        } catch (exception) {
          this.callExceptionHandler({ message: "Exception in callback", exception });
        }
        const seconds = (performance.now() - t0) / 1000;
        if (seconds >= this.slowCallbackDuration) this._reportSlow(what, seconds, description);
      }
    } finally {
      enterLoop(previous);
    }
  }

  /** @internal Debug mode: something blocked the loop for `seconds`. */
  _reportSlow(what: unknown, seconds: number, description?: string): void {
    const name =
      description ?? (what instanceof Task || what instanceof Handle ? String(what) : "a callback");
    this.callExceptionHandler({
      message: `Executing ${name} took ${seconds.toFixed(3)} seconds`,
      duration: seconds,
      ...(what instanceof Task ? { task: what } : {}),
    });
  }

  /** Moves due timers to the ready queue and runs it. */
  private runDueTimers(): void {
    const end = this.clock.time() + (this.clock.virtual ? 0 : REAL_CLOCK_RESOLUTION);
    for (;;) {
      const top = this.timers.peek();
      if (top === undefined || top._when > end) break;
      this.timers.pop();
      top._onCancel = null;
      this.ready.push(runHandle, top, undefined);
    }
    outsideAnyTask(runCallbacks, this);
  }

  private armNativeTimer(): void {
    const top = this.timers.peek();
    if (this.nativeTimer !== null) {
      if (top !== undefined && this.nativeTimerWhen <= top._when) return;
      this.disarmNativeTimer();
    }
    if (top === undefined || this.closed) return;
    const delayMs = Math.min(
      MAX_NATIVE_DELAY_MS,
      Math.max(0, Math.ceil((top._when - this.clock.time()) * 1000)),
    );
    this.nativeTimer = setTimeout(this.onNativeTimer, delayMs);
    this.nativeTimerWhen = top._when;
  }

  private disarmNativeTimer(): void {
    if (this.nativeTimer === null) return;
    clearTimeout(this.nativeTimer);
    this.nativeTimer = null;
    this.nativeTimerWhen = Number.POSITIVE_INFINITY;
  }

  private readonly onNativeTimer = (): void => {
    this.nativeTimer = null;
    this.nativeTimerWhen = Number.POSITIVE_INFINITY;
    this.runDueTimers();
    this.armNativeTimer();
  };

  private scheduleImmediate(): void {
    if (this.immediate === null && !this.closed) this.immediate = setImmediate(this.onImmediate);
  }

  /**
   * Runs after every microtask and pending I/O callback: first the yields (`sleep(0)`); then,
   * under a virtual clock with nothing else to run, jumps time to the next timer and fires it.
   */
  private readonly onImmediate = (): void => {
    this.immediate = null;
    if (this.yields.length > 0) {
      const batch = this.yields.length;
      for (let i = 0; i < batch; i++) {
        const yields = this.yields;
        // Move each yield to the ready queue, preserving order.
        this.ready.push(runYield, yields, undefined);
      }
      outsideAnyTask(runCallbacks, this);
    } else if (this.clock.virtual) {
      const top = this.timers.peek();
      if (top !== undefined) {
        if (top._when > this.clock.time()) this.clock.advanceTo!(top._when);
        this.runDueTimers();
      }
    }
    if (this.yields.length > 0 || (this.clock.virtual && this.timers.peek() !== undefined)) {
      this.scheduleImmediate();
    }
  };
}

/** A clock option: `time()`, a `virtual` flag, and `advanceTo()` when virtual (see Clock). */
function checkClock(clock: unknown): Clock {
  const candidate = clock as Partial<Clock> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    typeof candidate.time !== "function" ||
    typeof candidate.virtual !== "boolean" ||
    (candidate.virtual && typeof candidate.advanceTo !== "function")
  ) {
    throw new TypeError(
      `the clock option expected a Clock ({ time(), virtual, advanceTo() if virtual }, like new VirtualClock()), got ${describe(clock)}`,
    );
  }
  return candidate as Clock;
}

/** Runs `drain` in a microtask (its own errors are caught by the ready queue's runner). */
function queueDrain(drain: () => void): void {
  void RESOLVED_VOID.then(drain);
}

/** The ready queue's drain, as a plain function for `outsideAnyTask`. */
function runCallbacks(loop: EventLoop): void {
  loop._runCallbacks();
}

/** Runs the oldest yield callback of a loop's yield queue. */
function runYield(yields: CallQueue): void {
  yields.runOne();
}

registerGlobalLoopFactory(() => {
  const loop = new EventLoop();
  loop._releasesIdleTimer = true;
  return loop;
});

/**
 * The loop running the current task or callback. Throws `RuntimeError` outside `run()`/a task,
 * like asyncio's `get_running_loop`.
 * @example
 * ```ts
 * import { run, getRunningLoop } from "asyncio-ts";
 * await run(async () => console.log(typeof getRunningLoop().time())); // "number"
 * ```
 */
export function getRunningLoop(): EventLoop {
  const loop = runningLoopOrNull();
  if (loop === null) throw new RuntimeError("no running event loop");
  return loop;
}
