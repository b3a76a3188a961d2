/**
 * Seed 001, "비교해보기" (comparison): 1,000 blocking `time.sleep(1)` calls on a thread pool
 * against 10,000 `asyncio.sleep(1)` tasks. Threads cost a context switch each and the pool's
 * size caps how many sleep at once; `sleep()` tasks cost almost nothing, so 10,000 of them
 * still take one second.
 *
 * ```python
 * async def sleep(executor=None):
 *     loop = asyncio.get_event_loop()
 *     await loop.run_in_executor(executor, time.sleep, 1)
 *
 * async def main():
 *     executor = ThreadPoolExecutor(max_workers=1000)  # the time depends on max_workers
 *     futures = [asyncio.ensure_future(sleep(executor)) for i in range(1000)]
 *     await asyncio.gather(*futures)
 *
 * start = time.time(); asyncio.run(main()); print(f'time taken: {time.time() - start}')
 *
 * # and, all coroutines:
 * async def sleep():
 *     await asyncio.sleep(1)
 * async def main():
 *     futures = [asyncio.ensure_future(sleep()) for i in range(10000)]
 *     await asyncio.gather(*futures)
 * ```
 *
 * A worker thread of Node is a whole JavaScript engine (megabytes of memory, tens of
 * milliseconds to start), not an OS thread of a shared interpreter, so 1,000 of them do not fit
 * a small machine. The defaults keep the seed's 1,000 and 10,000 calls but use 50 threads and
 * 0.1 s sleeps, so the blocking part runs 20 rounds in about two seconds: the time is
 * calls x seconds / threads, the lesson of the seed's comment about `max_workers`.
 */
import { ensureFuture, gather, getEventLoop, sleep, ThreadPoolExecutor } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { blockingSleep } from "./seed001-run-in-executor.js";

/** Options of this example (the defaults are described in the module comment). */
export interface ThreadsVsSleepOptions extends ProgramOptions {
  /** Blocking calls on the thread pool (default 1,000, as in the seed). */
  blockingCalls?: number;
  /** Threads of the pool (default 50; the seed uses 1,000). */
  workers?: number;
  /** `sleep()` tasks (default 10,000, as in the seed). */
  sleeps?: number;
  /** Seconds each call sleeps, blocking or not (default 0.1; the seed uses 1). */
  seconds?: number;
}

/** One blocking sleep on `executor` (the seed's `sleep(executor)`). */
async function blockingTask(executor: ThreadPoolExecutor, seconds: number): Promise<void> {
  const loop = getEventLoop();
  await loop.runInExecutor(executor, blockingSleep, seconds);
}

/** Runs the two programs of the comparison, one after the other, printing their times. */
export async function main(
  out: Out = console.log,
  options: ThreadsVsSleepOptions = {},
): Promise<void> {
  const calls = options.blockingCalls ?? 1000;
  const workers = options.workers ?? 50;
  const sleeps = options.sleeps ?? 10_000;
  const seconds = options.seconds ?? 0.1;

  let start = performance.now();
  await runProgram(async () => {
    // `await using` shuts the pool down at the end, like Python's `with ThreadPoolExecutor()`.
    await using executor = new ThreadPoolExecutor({ maxWorkers: workers });
    const futures = [];
    for (let i = 0; i < calls; i++)
      futures.push(ensureFuture(() => blockingTask(executor, seconds)));
    await gather(futures);
  }, options);
  const rounds = Math.ceil(calls / workers);
  out(`${calls} blocking sleeps of ${seconds} s on ${workers} threads (${rounds} rounds)`);
  out(`time taken: ${((performance.now() - start) / 1000).toFixed(2)} s`);

  start = performance.now();
  await runProgram(async () => {
    const futures = [];
    for (let i = 0; i < sleeps; i++) futures.push(ensureFuture(() => sleep(seconds)));
    await gather(futures);
  }, options);
  out(`${sleeps} sleep(${seconds}) tasks on the event loop`);
  out(`time taken: ${((performance.now() - start) / 1000).toFixed(2)} s`);
}

await runIfScript(import.meta.url, main);
