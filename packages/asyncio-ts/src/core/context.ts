/**
 * Which task is running, and which loop is running, right now.
 *
 * Mechanism 1 of ARCHITECTURE.md: each task runs its function inside an AsyncLocalStorage
 * context, so every await continuation of that function sees its task. Loop callbacks (done
 * callbacks, timers) run outside any task, with `runningLoop` naming the loop that runs them.
 *
 * This module imports nothing of the kernel at run time, which is what lets future.ts, task.ts
 * and loop.ts depend on it without an import cycle.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { EventLoop } from "./loop.js";
import type { Task } from "./task.js";

/** The task whose function is running in the current async context. */
export const taskStorage = new AsyncLocalStorage<Task<unknown>>();

/**
 * Runs `fn(arg)` outside any task. Not `taskStorage.exit()`: on Node 20, `exit` disables the
 * store for the call, which turns the process-wide promise hook off and on again each time
 * (slow, and promises made meanwhile would lose their context); running with an undefined store
 * has the same effect on `getStore()` without touching the hook.
 */
export function outsideAnyTask<A>(fn: (arg: A) => void, arg: A): void {
  taskStorage.run(undefined as unknown as Task<unknown>, fn, arg);
}

/** The loop whose callbacks are running synchronously right now (null between callbacks). */
let runningLoop: EventLoop | null = null;

/** The process-wide loop used outside `run()`; created on first use, never closed. */
let globalLoop: EventLoop | null = null;
let createGlobalLoop: (() => EventLoop) | null = null;

export function currentTaskOrUndefined(): Task<unknown> | undefined {
  return taskStorage.getStore();
}

/** The loop of the running task or callback, or null outside both. */
export function runningLoopOrNull(): EventLoop | null {
  const task = taskStorage.getStore();
  return task !== undefined ? task._loop : runningLoop;
}

/** The running loop, else the global loop (asyncio's `get_event_loop`). */
export function eventLoop(): EventLoop {
  const loop = runningLoopOrNull();
  if (loop !== null) return loop;
  if (globalLoop === null) globalLoop = createGlobalLoop!();
  return globalLoop;
}

/** Called once by loop.ts so this module can create the global loop without importing it. */
export function registerGlobalLoopFactory(factory: () => EventLoop): void {
  createGlobalLoop = factory;
}

/** Marks `loop` as running its callbacks; returns the previous value for restoring. */
export function enterLoop(loop: EventLoop | null): EventLoop | null {
  const previous = runningLoop;
  runningLoop = loop;
  return previous;
}
