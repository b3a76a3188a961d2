/**
 * Debug mode's detector of blocking code ("Executing <Task> took 0.25 seconds").
 *
 * asyncio times each step of a task. Here a task's code runs as native promise continuations,
 * which the loop never sees, so an async_hooks before/after pair times every continuation and
 * AsyncLocalStorage names the task it belongs to. Callbacks of the loop's own ready queue are
 * timed by the loop itself (see EventLoop.runReadyDebug).
 *
 * async_hooks slow every promise down, so the hook is enabled only while at least one loop in
 * debug mode is running (a reference count), and never otherwise.
 */
import { createHook } from "node:async_hooks";
import { taskStorage } from "./context.js";
import type { Task } from "./task.js";

/** asyncId -> start time (ms) of the continuations running now (they nest). */
const started = new Map<number, number>();

const hook = createHook({
  before(asyncId) {
    started.set(asyncId, performance.now());
  },
  after(asyncId) {
    const t0 = started.get(asyncId);
    if (t0 === undefined) return;
    started.delete(asyncId);
    const task = taskStorage.getStore();
    if (task === undefined) return;
    const loop = task._loop;
    const seconds = (performance.now() - t0) / 1000;
    if (loop.getDebug() && seconds >= loop.slowCallbackDuration) {
      // Report from the loop, not from inside the hook: printing here would re-enter the hook.
      // The description is taken now (toString is pure), while the task is still running.
      loop._callSoonInternal(reportSlow, task, { seconds, description: String(task) });
    }
  },
});

let users = 0;

function reportSlow(task: Task<unknown>, slow: { seconds: number; description: string }): void {
  task._loop._reportSlow(task, slow.seconds, slow.description);
}

/** Called by `run()` when a loop in debug mode starts. */
export function enableSlowCallbackMonitor(): void {
  if (users++ === 0) hook.enable();
}

/** Called by `run()` when a loop in debug mode ends. */
export function disableSlowCallbackMonitor(): void {
  if (users > 0 && --users === 0) {
    hook.disable();
    started.clear();
  }
}
