/**
 * taskGroup(): structured concurrency (asyncio.TaskGroup, a port of 3.13's taskgroups.py).
 *
 * The body and its children form one unit: the group ends only when every child is done. The
 * first child error cancels the other children and the body; all non-cancel errors are thrown
 * together as one ExceptionGroup. If the parent task is cancelled from outside and no child
 * failed, the CancelledError propagates unchanged.
 */

import { currentTaskOrUndefined } from "./core/context.js";
import type { Future } from "./core/future.js";
import type { EventLoop } from "./core/loop.js";
import type { Task, TaskOptions } from "./core/task.js";
import {
  CancelledError,
  describe,
  ExceptionGroup,
  KeyboardInterrupt,
  RuntimeError,
} from "./errors.js";
import { runInFreshTask } from "./fresh-task.js";
import { bodyError } from "./validate.js";

/** Errors that must not be wrapped in an ExceptionGroup (Python's SystemExit, KeyboardInterrupt). */
function isBaseError(error: unknown): boolean {
  return error instanceof KeyboardInterrupt;
}

/**
 * A group of child tasks tied to the scope of a `taskGroup` body; create children with
 * `tg.createTask(fn, { name })`.
 *
 * @example
 * ```ts
 * import { run, taskGroup, sleep } from "asyncio-ts";
 * await run(async () => {
 *   await taskGroup(async (tg) => {
 *     tg.createTask(() => sleep(0.01), { name: "first" });
 *     tg.createTask(() => sleep(0.02), { name: "second" });
 *   });
 *   console.log("both tasks have completed now");
 * });
 * ```
 */
export class TaskGroup {
  /** Invariant: exactly the children that are not done yet. */
  private readonly tasks = new Set<Task<unknown>>();
  private errors: unknown[] = [];
  private baseError: unknown = undefined;
  private exiting = false;
  private aborting = false;
  private parentCancelRequested = false;
  /** Set while the scope waits for children; resolved when the last child ends. */
  private onCompleted: Future<true> | null = null;
  private readonly loop: EventLoop;

  /** @internal Use `taskGroup()`. */
  constructor(private readonly parent: Task<unknown>) {
    this.loop = parent._loop;
  }

  /**
   * Starts `fn` as a child task of the group. Throws `RuntimeError` once the group has finished
   * or while it is shutting down after an error.
   */
  createTask<T>(fn: () => T | PromiseLike<T>, options?: TaskOptions): Task<Awaited<T>> {
    if (typeof fn !== "function") {
      throw new TypeError(
        `TaskGroup.createTask() expected a function that returns a promise, got ${describe(fn)}`,
      );
    }
    if (this.exiting && this.tasks.size === 0)
      throw new RuntimeError(`TaskGroup ${this} is finished`);
    if (this.aborting) throw new RuntimeError(`TaskGroup ${this} is shutting down`);
    const task = this.loop.createTask(fn, options);
    this.tasks.add(task);
    task.addDoneCallback(this.onTaskDone);
    return task;
  }

  toString(): string {
    const info: string[] = [];
    if (this.tasks.size > 0) info.push(`tasks=${this.tasks.size}`);
    if (this.errors.length > 0) info.push(`errors=${this.errors.length}`);
    info.push(this.aborting ? "cancelling" : this.exiting ? "exiting" : "entered");
    return `<TaskGroup ${info.join(" ")}>`;
  }

  /** @internal The body has ended (`failed` with `error`, or not): wait for the children. */
  async _exit(failed: boolean, error: unknown): Promise<void> {
    this.exiting = true;
    if (failed && isBaseError(error) && this.baseError === undefined) this.baseError = error;
    let propagateCancellation: CancelledError | null =
      failed && error instanceof CancelledError ? error : null;
    if (failed && !this.aborting) this.abort();
    while (this.tasks.size > 0) {
      if (this.onCompleted === null) {
        this.onCompleted = this.loop.createFuture<true>();
        this.onCompleted._owner = this;
      }
      try {
        await this.onCompleted;
      } catch (cancelled) {
        // The parent was cancelled while waiting for the children: cancel them, keep waiting.
        if (!this.aborting) {
          propagateCancellation = cancelled as CancelledError;
          this.abort();
        }
      }
      this.onCompleted = null;
    }
    if (this.baseError !== undefined) throw this.baseError;
    if (this.parentCancelRequested && this.parent.uncancel() === 0) {
      // The only cancellation was the group's own (to stop the body after a child error).
      propagateCancellation = null;
    }
    if (propagateCancellation !== null && this.errors.length === 0) throw propagateCancellation;
    if (failed && !(error instanceof CancelledError)) this.errors.push(error);
    if (this.errors.length > 0) {
      if (this.parent.cancelling() > 0) {
        // Re-arm an outside cancellation so it is delivered at the parent's next await.
        this.parent.uncancel();
        this.parent.cancel();
      }
      const errors = this.errors;
      this.errors = [];
      throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
    }
  }

  private abort(): void {
    this.aborting = true;
    for (const task of this.tasks) if (!task.done()) task.cancel();
  }

  private readonly onTaskDone = (task: Future<unknown>): void => {
    this.tasks.delete(task as Task<unknown>);
    if (this.onCompleted !== null && this.tasks.size === 0 && !this.onCompleted.done()) {
      this.onCompleted.setResult(true);
    }
    if (task.cancelled()) return;
    const error = task.exception();
    if (error === null) return;
    this.errors.push(error);
    if (isBaseError(error) && this.baseError === undefined) this.baseError = error;
    if (this.parent.done()) {
      this.loop.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${this.parent} is already completed`,
        exception: error,
        task: task as Task<unknown>,
      });
      return;
    }
    if (!this.aborting && !this.parentCancelRequested) {
      // Stop the body too: it learns of the failure as a CancelledError at its current await.
      this.abort();
      this.parentCancelRequested = true;
      this.parent.cancel();
    }
  };
}

/**
 * Runs `body` with a new TaskGroup and returns its result once the body and every child task
 * are done. The first child error cancels the other children and the body; all errors are then
 * thrown together as one `ExceptionGroup`. Outside any task the body runs in a fresh task.
 * A `body` that is not a function rejects with `TypeError` (never throws: docs/errors.md).
 *
 * @example
 * ```ts
 * import { run, taskGroup, sleep, ExceptionGroup } from "asyncio-ts";
 * await run(async () => {
 *   try {
 *     await taskGroup(async (tg) => {
 *       tg.createTask(async () => { throw new Error("boom"); });
 *       tg.createTask(() => sleep(10)); // cancelled by the failure
 *     });
 *   } catch (e) {
 *     console.log(e instanceof ExceptionGroup, (e as ExceptionGroup).exceptions.length); // true 1
 *   }
 * });
 * ```
 */
export function taskGroup<T>(body: (tg: TaskGroup) => Promise<T> | T): Promise<T> {
  const invalid = bodyError("taskGroup()", body, "async (tg) => ...");
  if (invalid !== null) return Promise.reject(invalid); // rejects, never throws (docs/errors.md)
  const parent = currentTaskOrUndefined();
  if (parent === undefined) return runInFreshTask(() => taskGroup(body));
  return runGroup(new TaskGroup(parent), body);
}

async function runGroup<T>(group: TaskGroup, body: (tg: TaskGroup) => Promise<T> | T): Promise<T> {
  let result: T | undefined;
  let failed = false;
  let error: unknown;
  try {
    result = await body(group);
  } catch (caught) {
    failed = true;
    error = caught;
  }
  await group._exit(failed, error);
  return result as T;
}
