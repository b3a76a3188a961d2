/**
 * Debug mode's detector of blocking code ("Executing <Task> took 0.25 seconds").
 *
 * asyncio times each step of a task. Here a task's code runs as native promise continuations,
 * which the loop never sees, so a V8 promise hook pair (before/after) times every continuation
 * and names the task it belongs to. Callbacks of the loop's own ready queue are timed by the loop
 * itself (see EventLoop.runReadyDebug).
 *
 * Promise hooks slow every promise down, so this pair is installed only while at least one loop
 * in debug mode is running (a reference count), and never otherwise.
 */
import { promiseHooks } from "node:v8";
import { currentTaskOrUndefined, taskOfPromise, usesAsyncContextFrame } from "./context.js";
import type { Task } from "./task.js";

/** Start time (ms) of the continuation running now; continuations never nest. */
let startedAt = -1;

/**
 * The task a continuation belongs to. With AsyncLocalStorage on AsyncContextFrame, the
 * continuation's frame is current inside its hooks; with the promise-hook context, the promise
 * itself records its task (read directly, so the order of the two hook pairs does not matter).
 */
function taskOf(promise: Promise<unknown>): Task<unknown> | undefined {
  return usesAsyncContextFrame ? currentTaskOrUndefined() : taskOfPromise(promise);
}

const hooks = {
  before(): void {
    startedAt = performance.now();
  },
  after(promise: Promise<unknown>): void {
    const t0 = startedAt;
    startedAt = -1;
    if (t0 < 0) return;
    const task = taskOf(promise);
    if (task === undefined) return;
    const loop = task._loop;
    const seconds = (performance.now() - t0) / 1000;
    if (loop.getDebug() && seconds >= loop.slowCallbackDuration) {
      // Report from the loop, not from inside the hook: printing here would run more promise
      // code inside the hook. The description is taken now (toString is pure).
      loop._callSoonInternal(reportSlow, task, { seconds, description: String(task) });
    }
  },
};

/** Removes the hook pair; set while it is installed. */
let uninstall: (() => void) | null = null;

let users = 0;

function reportSlow(task: Task<unknown>, slow: { seconds: number; description: string }): void {
  task._loop._reportSlow(task, slow.seconds, slow.description);
}

/** Called by `run()` when a loop in debug mode starts. */
export function enableSlowCallbackMonitor(): void {
  if (users++ === 0) uninstall = promiseHooks.createHook(hooks) as () => void;
}

/** Called by `run()` when a loop in debug mode ends. */
export function disableSlowCallbackMonitor(): void {
  if (users > 0 && --users === 0) {
    uninstall?.();
    uninstall = null;
    startedAt = -1;
  }
}
