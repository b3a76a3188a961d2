/**
 * Scopes (taskGroup, timeout, waitFor) need a task to cancel. Outside any task (no `run()`),
 * they run their body in a fresh task on the global loop, so the library works without `run()`.
 */
import { eventLoop } from "./core/context.js";

/** Runs `fn` as a new task of the current (or global) loop and returns its promise. */
export function runInFreshTask<T>(fn: () => Promise<T>): Promise<T> {
  return eventLoop().createTask(fn)._nativePromise() as Promise<T>;
}
