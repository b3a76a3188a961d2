/**
 * asyncio-ts/internal: kernel entry points for the @asyncio-ts packages (the HTTP server runs
 * every request as a task through this). Not part of the public API: no semver promise, and
 * nothing here is needed to use the library.
 * @module
 */
import type { EventLoop } from "./core/loop.js";
import type { Task, TaskOptions } from "./core/task.js";

/**
 * `loop.createTask(fn, options)`, plus `onSettled(task)`, called synchronously the moment the
 * task settles: in the same microtask as the function's last step, outside any task, and before
 * the task's done callbacks (which the loop runs later, from its ready queue). With
 * `eagerStart`, it may be called before this function returns.
 *
 * Why it exists: a server answers a request as soon as its handler's task is done. A done
 * callback would send the response one trip through the loop's ready queue later; this sends it
 * where a bare framework would, which is a measurable part of a request's cost.
 * `onSettled` must not throw (what it throws goes to the loop's exception handler, like a done
 * callback's).
 *
 * @example
 * ```ts
 * import { getEventLoop, run } from "asyncio-ts";
 * import { createObservedTask } from "asyncio-ts/internal";
 * await run(async () => {
 *   const task = createObservedTask(getEventLoop(), async () => 42, { eagerStart: true }, (t) =>
 *     console.log("settled with", t.result()),
 *   );
 *   await task; // "settled with 42" was printed first
 * });
 * ```
 */
export function createObservedTask<T>(
  loop: EventLoop,
  fn: () => T | PromiseLike<T>,
  options: TaskOptions | undefined,
  onSettled: (task: Task<Awaited<T>>) => void,
): Task<Awaited<T>> {
  if (typeof onSettled !== "function") {
    throw new TypeError(
      `createObservedTask() expected an onSettled function, got ${typeof onSettled}`,
    );
  }
  return loop._createTask(fn, options, onSettled);
}
