/**
 * Task: a function running concurrently on the loop (asyncio.Task).
 *
 * A task's function starts from the loop's ready queue after `createTask` returns, inside a
 * context naming the task (context.ts), so every library await inside it knows its task.
 *
 * Cancellation (asyncio's rules, see tasks.py `Task.cancel` and `__step`):
 * - `cancel()` counts the request, aborts the task's AbortSignal, and cancels the future the task
 *   awaits (`_futWaiter`); the await then throws CancelledError inside the task.
 * - If the task is running foreign code (awaiting a plain promise), `_mustCancel` is set and the
 *   next library await throws CancelledError at once; if the function returns first, the task
 *   ends with its result (the cancellation came too late to stop anything; see
 *   `_finishWithValue`), unless the task cancelled itself.
 * - A task cancelled before it starts never runs its function.
 */
import { CancelledError, RuntimeError } from "../errors.js";
import { checkOptions } from "../validate.js";
import { RESOLVED_VOID } from "./bare-promise.js";
import { currentTaskOrUndefined, runInTask } from "./context.js";
import {
  CANCELLED,
  type DoneCallback,
  FULFILLED,
  Future,
  PENDING,
  REJECTED,
  runDoneCallback,
} from "./future.js";
import type { EventLoop } from "./loop.js";

/**
 * What a task can be suspended on: a Future, or a lighter record such as a sleep's. `cancel()`
 * must make the task's await throw CancelledError and return true, or return false if the wait
 * is already over (then the cancellation stays pending for the task's next await).
 */
export interface Waiter {
  cancel(msg?: string): boolean;
  done(): boolean;
  /** True if a cancellation is already on its way to the task through this waiter. */
  absorbsCancel?(): boolean;
}

/** @internal What `createObservedTask` (internal.ts) calls when a task settles. */
// `any` keeps Task<T> assignable to Task<unknown> (as Future's callback fields do).
export type SettledCallback = (task: Task<any>) => void;

/** Options of `createTask`. */
export interface TaskOptions {
  /** A name for introspection and error messages (default `Task-<n>`). */
  name?: string;
  /**
   * Run the function's first step inside `createTask`, up to its first suspension, as the new
   * task, instead of from the loop's ready queue (asyncio 3.14's `eager_start`). A function that
   * returns a plain value or throws leaves a finished task; an async function that never
   * suspends finishes one microtask later, still without a trip through the loop (see
   * docs/differences.md). Default false: a task starts after `createTask` returns.
   */
  eagerStart?: boolean;
}

let nextTaskNumber = 1;

const TASK_OPTIONS = ["name", "eagerStart"];

/** The directory of this package's compiled sources: frames in it are the library's, not the user's. */
const packageDir = new URL("..", import.meta.url).href;

/**
 * A creation stack without its first line and without the library's own frames on top
 * (`new Task`, `createTask`...), so it starts where the user created the task.
 */
function userStack(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  const frames = stack.split("\n").slice(1);
  let first = 0;
  while (first < frames.length - 1 && frames[first]!.includes(packageDir)) first++;
  return frames.slice(first).join("\n");
}

/** Settles `task` with the outcome of the promise (or thenable) its function returned. */
function subscribe(task: Task<unknown>, outcome: PromiseLike<unknown>): void {
  outcome.then(
    (value) => task._finishWithValue(value),
    (error) => task._finishWithError(error),
  );
}

/**
 * The handlers of a native promise returned by a task's function. `.then` is called inside the
 * task's context (see startTask), so the reaction runs as that task's continuation and the task
 * is found as the current task: two shared functions instead of two closures per task.
 */
function finishCurrentWithValue(value: unknown): void {
  currentTaskOrUndefined()!._finishWithValue(value);
}

function finishCurrentWithError(error: unknown): void {
  currentTaskOrUndefined()!._finishWithError(error);
}

function checkEagerStart(eagerStart: unknown): boolean {
  if (eagerStart === undefined || typeof eagerStart === "boolean") return eagerStart === true;
  throw new TypeError(
    `createTask() option "eagerStart" expected a boolean, got ${typeof eagerStart}`,
  );
}

/** The loop runs this from its ready queue to start a task (or `new Task` does, when eager). */
function startTask(task: Task<unknown>): void {
  if (task._state !== PENDING) return;
  const fn = task._fn!;
  task._fn = null;
  if (task._mustCancel) {
    // Cancelled before it started: the function never runs.
    task._mustCancel = false;
    task._settle(CANCELLED, undefined);
    return;
  }
  runInTask(task, runBody, task, fn);
}

/**
 * Starts `task` from the ready queue one microtask later than usual. For a task created by a
 * task with a cancellation pending (it cancelled itself, or was cancelled while awaiting foreign
 * code), which that task's next library await delivers. If that await is `await task`, asyncio
 * cancels the new task before its first step, so it never runs (`create_task(q.get())`: the item
 * stays in the queue). Here `await task` reaches `task.then()` in a microtask (the await's
 * thenable job), and a start queued at once would run first and take the item for nobody. One hop
 * later, the start is queued behind that job. (A task created inside a drain of the ready queue
 * waits for the next drain anyway: see the loop's `drain`.)
 */
function startAfterCreatorsAwait(task: Task<unknown>): void {
  void RESOLVED_VOID.then(() => task._loop._callSoonInternal(startTask, task, undefined));
}

/**
 * Runs a task's function and subscribes to its outcome, all in the task's context: a native
 * promise's reaction then runs as the task's continuation (see finishCurrentWithValue), and a
 * Future returned by the function becomes the task's waiter, so cancel() reaches it.
 */
function runBody(task: Task<unknown>, fn: () => unknown): void {
  let outcome: unknown;
  try {
    outcome = fn();
  } catch (error) {
    task._finishWithError(error);
    return;
  }
  if (outcome instanceof Promise && Object.getPrototypeOf(outcome) === Promise.prototype) {
    // Every async function's result. Only exact native promises: a subclass or a foreign
    // thenable may call back from anywhere, outside the task, so those get closures.
    void outcome.then(finishCurrentWithValue, finishCurrentWithError);
  } else if (
    outcome !== null &&
    typeof outcome === "object" &&
    typeof (outcome as PromiseLike<unknown>).then === "function"
  ) {
    subscribe(task, outcome as PromiseLike<unknown>);
  } else {
    task._finishWithValue(outcome);
  }
}

/**
 * A function running concurrently on the loop. Create one with `createTask`; await it for its
 * result; `cancel()` it to throw `CancelledError` at its current await.
 *
 * @example
 * ```ts
 * import { run, createTask, sleep } from "asyncio-ts";
 * await run(async () => {
 *   const t = createTask(async () => { await sleep(0.01); return 42; }, { name: "answer" });
 *   console.log(t.name, await t); // "answer" 42
 * });
 * ```
 */
export class Task<T> extends Future<T> {
  /** @internal Set by `name`; until then the name is `Task-<number>` (built only when read). */
  private _name: string | undefined;
  private readonly _number = nextTaskNumber++;
  /** @internal The loop's list of pending tasks (intrusive, so add and remove are O(1)). */
  _prevTask: Task<unknown> | null = null;
  /** @internal */ _nextTask: Task<unknown> | null = null;
  /** @internal The function to start; null once started. */
  _fn: (() => T | PromiseLike<T>) | null;
  /** @internal A cancellation is pending and the next library await must throw. */
  _mustCancel = false;
  /** @internal The pending cancellation was requested by the task's own code (see _finishWithValue). */
  _cancelledItself = false;
  /** @internal How many cancellation requests are outstanding (see `cancelling()`). */
  _numCancelsRequested = 0;
  /** @internal The library awaitable this task is suspended on, if any. */
  _futWaiter: Waiter | null = null;
  /** @internal The task that created this one (for introspection). */
  readonly _parent: Task<unknown> | undefined;
  private _abortController: AbortController | null = null;
  /**
   * @internal Loop time of creation in whole milliseconds (approximate unless in debug mode); for
   * task ages. An integer, so V8 stores it in the object instead of boxing a double per task.
   */
  readonly _createdAtMs: number;
  /** @internal Debug mode: the stack where the task was created. */
  readonly _sourceTraceback: string | undefined;
  /**
   * @internal Called synchronously when the task settles, outside any task, before anything
   * the loop runs next (see `createObservedTask` in internal.ts); null once called.
   */
  private _onSettled: SettledCallback | null;

  /** @internal Use `createTask()` or `loop.createTask()`. */
  constructor(
    fn: () => T | PromiseLike<T>,
    options: TaskOptions | undefined,
    loop: EventLoop,
    onSettled: SettledCallback | null = null,
  ) {
    super(loop);
    this._fn = fn;
    this._onSettled = onSettled;
    let eager = false;
    if (options !== undefined) {
      checkOptions("createTask()", options, TASK_OPTIONS);
      // asyncio's set_name() takes any object and keeps str(value).
      this._name = options.name === undefined ? undefined : String(options.name);
      eager = checkEagerStart(options.eagerStart);
    }
    this._parent = currentTaskOrUndefined();
    if (loop._debug) {
      this._createdAtMs = Math.round(loop.time() * 1000);
      this._sourceTraceback = userStack(new Error().stack);
    } else {
      this._createdAtMs = Math.round(loop._coarseNow * 1000);
      this._sourceTraceback = undefined;
    }
    loop._registerTask(this);
    if (eager) startTask(this as Task<unknown>);
    else if (this._parent?._mustCancel) startAfterCreatorsAwait(this as Task<unknown>);
    else loop._callSoonInternal(startTask, this, undefined);
  }

  override get [Symbol.toStringTag](): string {
    return "Task";
  }

  /** The task's name, for introspection and error messages (default `Task-<n>`). */
  get name(): string {
    return this._name ?? `Task-${this._number}`;
  }

  set name(value: string) {
    this._name = String(value);
  }

  /**
   * Requests cancellation: the task's current (or next) library await throws
   * `CancelledError(msg)`. Returns false if the task is already done. The task may catch the
   * error and go on; `cancelling()` counts the requests.
   */
  override cancel(msg?: string): boolean {
    this._markRetrieved();
    if (this._state !== PENDING) return false;
    this._numCancelsRequested++;
    this._abortController?.abort(new CancelledError(msg ?? ""));
    const waiter = this._futWaiter;
    if (waiter !== null && (waiter.cancel(msg) || waiter.absorbsCancel?.())) return true;
    // Kept while a cancellation of its own is pending: see _finishWithValue.
    this._cancelledItself =
      currentTaskOrUndefined() === this || (this._mustCancel && this._cancelledItself);
    this._mustCancel = true;
    this._cancelMessage = msg;
    return true;
  }

  /** The number of pending cancellation requests (asyncio's `Task.cancelling()`). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /**
   * Withdraws one cancellation request and returns how many remain. At zero, a pending
   * cancellation is dropped and `signal` becomes a fresh, unaborted signal.
   */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested--;
      if (this._numCancelsRequested === 0) {
        this._mustCancel = false;
        if (this._abortController?.signal.aborted) this._abortController = null;
      }
    }
    return this._numCancelsRequested;
  }

  /**
   * An AbortSignal aborted while a cancellation request is pending: pass it to `fetch`, undici,
   * `fs` or child processes so that cancelling the task stops foreign work too.
   */
  get signal(): AbortSignal {
    if (this._abortController === null) {
      this._abortController = new AbortController();
      if (this._numCancelsRequested > 0 && this._state === PENDING) {
        this._abortController.abort(new CancelledError(this._cancelMessage ?? ""));
      }
    }
    return this._abortController.signal;
  }

  /** Tasks are settled by their function; calling this throws `RuntimeError`. */
  override setResult(_value: T): never {
    throw new RuntimeError("Task does not support setResult(): its function sets the result");
  }

  /** Tasks are settled by their function; calling this throws `RuntimeError`. */
  override setException(_exception: unknown): never {
    throw new RuntimeError("Task does not support setException(): its function sets it");
  }

  override toString(): string {
    return `<Task${this._describeState()} name=${JSON.stringify(this.name)}>`;
  }

  /**
   * @internal The function's promise fulfilled. A cancellation still pending then ends the task
   * cancelled only if the task requested it itself, in its last step (asyncio's "cancelled right
   * before coro stops": in asyncio nothing else can run during a task's step). One requested by
   * other code came after the function's last library await: while it awaited foreign code (not a
   * cancellation point), or after it had returned, in the microtask before its promise's reaction
   * (asyncio's task would be done by then). Either way the work is done, and its result, maybe
   * an item got from a queue or an acquired permit, is kept rather than lost: the task ends with
   * it, as a task that caught its CancelledError would (cancelling() stays above 0).
   */
  _finishWithValue(value: unknown): void {
    if (this._state !== PENDING) return;
    if (this._mustCancel && this._cancelledItself) {
      this._mustCancel = false;
      this._settle(CANCELLED, undefined);
    } else {
      this._mustCancel = false;
      this._settle(FULFILLED, value);
    }
  }

  /** @internal */
  _finishWithError(error: unknown): void {
    if (this._state !== PENDING) return;
    if (error instanceof CancelledError) {
      this._cancelledExc = error;
      this._cancelMessage = error.message;
      this._settle(CANCELLED, undefined);
    } else {
      this._settle(REJECTED, error);
    }
  }

  /** @internal */
  override _settle(state: 0 | 1 | 2 | 3, value: unknown): void {
    this._futWaiter = null;
    super._settle(state, value);
    this._loop._unregisterTask(this);
    const onSettled = this._onSettled;
    if (onSettled !== null) {
      this._onSettled = null;
      // Outside the task: what the observer starts (a response being sent) is not the task's.
      runInTask(undefined, runDoneCallback, this as Future<T>, onSettled as DoneCallback<T>);
    }
  }
}
