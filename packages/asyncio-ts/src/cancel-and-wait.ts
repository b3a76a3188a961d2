/**
 * cancelAndWait: cancel a future and wait until it is really done (asyncio's _cancel_and_wait).
 */
import type { Future } from "./core/future.js";

/**
 * Cancels `future` and resolves once it is done. The wait itself is a cancellation point; if the
 * caller is cancelled meanwhile, the future keeps cancelling on its own.
 */
export async function cancelAndWait(future: Future<unknown>): Promise<void> {
  const waiter = future._loop.createFuture<void>();
  const release = (): void => {
    if (!waiter.done()) waiter.setResult(undefined);
  };
  future.addDoneCallback(release);
  try {
    future.cancel();
    await waiter;
  } finally {
    future.removeDoneCallback(release);
  }
}
