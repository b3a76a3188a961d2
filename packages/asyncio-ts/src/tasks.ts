/**
 * Creating and finding tasks: createTask, ensureFuture, currentTask, allTasks, getEventLoop.
 */

import { currentTaskOrUndefined, eventLoop } from "./core/context.js";
import { adoptPromise, Future, isThenable } from "./core/future.js";
import type { EventLoop } from "./core/loop.js";
import type { Task, TaskOptions } from "./core/task.js";
import { describe } from "./errors.js";

/** Something a task can await: a future or task, a promise, or a function that starts work. */
export type Awaitable<T> = Future<T> | PromiseLike<T> | (() => T | PromiseLike<T>);

/**
 * Starts `fn` as a new task on the running loop (the global loop outside `run`). The function
 * starts after `createTask` returns; tasks start in creation order; a task cancelled before it
 * starts never runs its function. With `{ eagerStart: true }` its first step runs inside
 * `createTask` instead (asyncio 3.14's `eager_start`).
 *
 * @example
 * ```ts
 * import { run, createTask, sleep } from "asyncio-ts";
 * await run(async () => {
 *   const a = createTask(async () => { await sleep(0.02); return "A"; });
 *   const b = createTask(async () => { await sleep(0.01); return "B"; });
 *   console.log(await a, await b); // "A" "B"
 *   const eager = createTask(() => "ran already", { eagerStart: true });
 *   console.log(eager.result()); // "ran already"
 * });
 * ```
 */
export function createTask<T>(
  fn: () => T | PromiseLike<T>,
  options?: TaskOptions,
): Task<Awaited<T>> {
  return eventLoop().createTask(fn, options);
}

/**
 * Wraps anything awaitable in a Future: a Future or Task is returned as is, a function becomes a
 * task, a promise is adopted (it cannot be stopped; cancelling the future only stops waiting).
 *
 * @example
 * ```ts
 * import { run, ensureFuture } from "asyncio-ts";
 * await run(async () => {
 *   const fromFn = ensureFuture(async () => 1);
 *   const fromPromise = ensureFuture(Promise.resolve(2));
 *   console.log(await fromFn + await fromPromise); // 3
 * });
 * ```
 */
export function ensureFuture<T>(awaitable: Awaitable<T>, loop?: EventLoop): Future<Awaited<T>> {
  if (awaitable instanceof Future) return awaitable as Future<Awaited<T>>;
  if (typeof awaitable === "function") return (loop ?? eventLoop()).createTask(awaitable);
  if (isThenable(awaitable)) return adoptPromise(awaitable as PromiseLike<Awaited<T>>, loop);
  throw new TypeError(
    `ensureFuture() expected a Future, Task, promise or function, got ${describe(awaitable)}`,
  );
}

/**
 * The task running the current code, or undefined outside any task (asyncio's `current_task`).
 *
 * @example
 * ```ts
 * import { run, currentTask } from "asyncio-ts";
 * await run(async () => console.log(currentTask()?.name)); // "main"
 * ```
 */
export function currentTask(): Task<unknown> | undefined {
  return currentTaskOrUndefined();
}

/**
 * The tasks of the running loop (the global loop outside `run`) that are not done yet.
 *
 * @example
 * ```ts
 * import { run, createTask, allTasks, sleep } from "asyncio-ts";
 * await run(async () => {
 *   createTask(() => sleep(0.01));
 *   console.log(allTasks().size); // 2: main and the sleeper
 * });
 * ```
 */
export function allTasks(): Set<Task<unknown>> {
  return new Set(eventLoop()._pendingTasks());
}

/**
 * The running loop, or the process-wide global loop outside `run()` (asyncio's
 * `get_event_loop`); the seeds use it with `runUntilComplete`.
 *
 * @example
 * ```ts
 * import { getEventLoop, gather } from "asyncio-ts";
 * const loop = getEventLoop();
 * console.log(await loop.runUntilComplete(gather(async () => 1, async () => 2))); // [1, 2]
 * ```
 */
export function getEventLoop(): EventLoop {
  return eventLoop();
}
