/**
 * Task introspection: what every live task awaits, and the tree of tasks (Python 3.14's
 * `python -m asyncio pstree`, from inside the program).
 */

import { eventLoop } from "./core/context.js";
import { Future } from "./core/future.js";
import type { EventLoop } from "./core/loop.js";
import { Task } from "./core/task.js";
import { describe } from "./errors.js";
import { GatheringFuture } from "./gather.js";
import { SleepWaiter } from "./sleep.js";

function seconds(value: number): string {
  return `${value.toFixed(3)} s`;
}

/**
 * A one-line description of what `task` is waiting for: another task, a gather, a sleep with its
 * deadline, a lock or queue or TaskGroup (by their `toString()`), or foreign code.
 *
 * @example
 * ```ts
 * import { run, createTask, sleep, describeAwait } from "asyncio-ts";
 * await run(async () => {
 *   const t = createTask(() => sleep(5));
 *   await sleep(0);
 *   console.log(describeAwait(t)); // "sleep until t=5.000 (4.999 s left)" (times vary)
 *   t.cancel();
 * });
 * ```
 */
export function describeAwait(task: Task<unknown>): string {
  if (task.done()) return "nothing (done)";
  const waiter = task._futWaiter;
  if (waiter === null || waiter.done()) {
    return task._fn !== null ? "not started yet" : "running, or awaiting a foreign promise";
  }
  if (waiter instanceof Task) return `task ${JSON.stringify(waiter.name)}`;
  if (waiter instanceof GatheringFuture) {
    const done = waiter._children.filter((child) => child.done()).length;
    return `gather of ${waiter._children.length} (${done} done)`;
  }
  if (waiter instanceof Future) {
    // A future adopting a sleep's promise (gather(sleep(1)), waitFor(sleep(5), 1)).
    if (waiter._onCancel instanceof SleepWaiter) return String(waiter._onCancel);
    if (waiter._owner !== null) return String(waiter._owner);
  }
  return String(waiter);
}

/**
 * The tree of the live tasks of `loop` (default: the running loop, or the global loop): each
 * task with its name, age and what it awaits, under the task that created it.
 *
 * @example
 * ```ts
 * import { run, taskGroup, sleep, formatTaskTree } from "asyncio-ts";
 * await run(async () => {
 *   await taskGroup(async (tg) => {
 *     tg.createTask(() => sleep(1), { name: "sleeper" });
 *     tg.createTask(async () => console.log(formatTaskTree()), { name: "printer" });
 *   });
 * });
 * ```
 */
export function formatTaskTree(loop?: EventLoop): string {
  const target = loop ?? eventLoop();
  if (loop !== undefined && (loop === null || typeof loop.time !== "function")) {
    throw new TypeError(`formatTaskTree() expected an EventLoop, got ${describe(loop)}`);
  }
  const tasks = target._pendingTasks();
  const live = new Set(tasks);
  const children = new Map<Task<unknown> | null, Task<unknown>[]>();
  for (const task of tasks) {
    // A task whose creator has finished is shown as a root.
    const parent = task._parent !== undefined && live.has(task._parent) ? task._parent : null;
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [task]);
    else siblings.push(task);
  }
  const now = target.time();
  const lines = [`${tasks.length} task${tasks.length === 1 ? "" : "s"} at t=${now.toFixed(3)}:`];
  const visit = (task: Task<unknown>, prefix: string, last: boolean): void => {
    const age = Math.max(0, now - task._createdAtMs / 1000);
    lines.push(
      `${prefix}${last ? "└── " : "├── "}${task.name} (age ${seconds(age)}) awaiting ${describeAwait(task)}`,
    );
    visitAll(children.get(task) ?? [], `${prefix}${last ? "    " : "│   "}`);
  };
  const visitAll = (siblings: Task<unknown>[], prefix: string): void => {
    for (let i = 0; i < siblings.length; i++)
      visit(siblings[i]!, prefix, i === siblings.length - 1);
  };
  visitAll(children.get(null) ?? [], "");
  return lines.join("\n");
}

/**
 * Prints `formatTaskTree(loop)` to stderr (or another stream). In debug mode `run()` also prints
 * it when the process receives SIGUSR2 (`kill -USR2 <pid>`).
 *
 * @example
 * ```ts
 * import { run, createTask, sleep, printTaskTree } from "asyncio-ts";
 * await run(async () => {
 *   createTask(() => sleep(1), { name: "sleeper" });
 *   await sleep(0);
 *   printTaskTree();
 * });
 * ```
 */
export function printTaskTree(
  loop?: EventLoop,
  stream: { write(text: string): unknown } = process.stderr,
): void {
  stream.write(`${formatTaskTree(loop)}\n`);
}
