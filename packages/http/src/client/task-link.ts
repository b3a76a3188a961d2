/**
 * The seam between the HTTP client and the asyncio-ts runtime: awaiting undici work as a
 * cancellation point of the calling task, and waiting between retries.
 * @module
 */
import { CancelledError, cancellable, currentTask, sleep } from "asyncio-ts";

const noop = () => {};

/**
 * Awaits `work` as a cancellation point when called inside a task: `task.cancel()` (or a
 * `timeout()` scope expiring) rejects at once with `CancelledError`, `onCancel` stops the work,
 * and whatever `work` settles with later is handed to `dispose` (or ignored), so nothing leaks
 * and no rejection goes unhandled. Outside a task it is a plain await.
 */
export function awaitCancellable<T>(
  work: Promise<T>,
  onCancel: (reason: unknown) => void,
  dispose: (value: T) => void = noop,
): Promise<T> {
  if (currentTask() === undefined) return work;
  // `then` on the runtime's future, called here inside the task, makes it the task's waiter:
  // task.cancel() rejects it with CancelledError (no async frame needed on this hot path).
  return cancellable(work).then(undefined, (error: unknown) => {
    if (error instanceof CancelledError) {
      // The task was cancelled while waiting (or the work was aborted by that cancellation):
      // stop the work (idempotent) and dispose of what it may still produce.
      onCancel(error);
      work.then(dispose, noop);
    }
    throw error;
  });
}

/** Waits `seconds`: the runtime's `sleep` inside a task (a cancellation point), a timer outside. */
export function waitSeconds(seconds: number): Promise<void> {
  if (currentTask() !== undefined) return sleep(seconds);
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
