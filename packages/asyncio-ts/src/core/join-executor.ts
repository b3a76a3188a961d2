/**
 * The bounded join of `loop.shutdownDefaultExecutor(timeout)` (asyncio's
 * `shutdown_default_executor` with `run()`'s `THREAD_JOIN_TIMEOUT`).
 *
 * Why real time, not loop time: the join waits for worker threads, which run in real time. Under
 * a `VirtualClock` the loop's clock jumps to the next timer whenever the loop is idle, which it
 * is while threads work, so a loop-time limit would expire at once and stop calls that were about
 * to finish (even the plain termination of idle workers takes a few real milliseconds). With the
 * real clock both measures are the same.
 *
 * Why the threads are stopped after the limit: asyncio only stops waiting and leaves the threads
 * running (Python then still joins them when the interpreter exits). In Node a worker thread that
 * runs keeps the process alive, so a program whose `run()` has finished would never exit by
 * itself; stopping the calls (their workers are terminated, their futures cancelled) lets it exit.
 */
import type { Executor } from "./default-executor.js";

/**
 * asyncio's constants.THREAD_JOIN_TIMEOUT: how long `run()` waits for the default executor's
 * calls at the end (seconds).
 */
export const THREAD_JOIN_TIMEOUT = 300;

/** setTimeout's longest delay; a longer limit is no limit (it is over 24 days). */
const MAX_NATIVE_DELAY_MS = 2 ** 31 - 1;

/**
 * Shuts `executor` down and waits for its calls, for at most `timeout` seconds of real time
 * (null: no limit). After the limit: a RuntimeWarning (`process.emitWarning`), then every call
 * still queued or running is stopped and the executor is not waited for any more.
 */
export async function joinExecutor(executor: Executor, timeout: number | null): Promise<void> {
  const joined = executor.shutdown({ wait: true });
  const ms = timeout === null ? Number.POSITIVE_INFINITY : Math.max(0, timeout * 1000);
  if (ms > MAX_NATIVE_DELAY_MS) return joined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<true>((resolve) => {
    timer = setTimeout(resolve, ms, true);
  });
  try {
    if ((await Promise.race([joined.then(() => false), expired])) === false) return;
  } finally {
    clearTimeout(timer);
  }
  process.emitWarning(
    `The executor did not finish joining its threads within ${timeout} seconds; ` +
      "its calls still running were stopped (their threads terminated) so that the program can exit",
    "RuntimeWarning",
  );
  if (executor._stopAll !== undefined) executor._stopAll();
  else await executor.shutdown({ wait: false, cancelFutures: true });
}
