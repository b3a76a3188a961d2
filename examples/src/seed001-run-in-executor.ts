/**
 * Seed 001, "코루틴으로 짜여있지 않은 함수 비동기적으로 이용하기" (using functions that are not
 * coroutines asynchronously): `loop.run_in_executor(None, time.sleep, 5)` moves a blocking call
 * to the loop's default thread pool, so two blocking sleeps (5 s and 4 s) overlap and the
 * program takes about 5 s, not 9.
 *
 * ```python
 * async def coroutine_1():
 *     print('코루틴 1 시작')                     # coroutine 1 started
 *     print('코루틴 1 중단... 5초간 기다립니다.')  # coroutine 1 paused... waiting 5 s
 *     loop = asyncio.get_event_loop()
 *     await loop.run_in_executor(None, time.sleep, 5)
 *     print('코루틴 1 재개')                     # coroutine 1 resumed
 * # coroutine_2 alike, with 4 s
 * loop = asyncio.get_event_loop()
 * start = time.time()
 * loop.run_until_complete(asyncio.gather(coroutine_1(), coroutine_2()))
 * print(f'time taken: {time.time() - start}')
 * ```
 *
 * `time.sleep` becomes {@link blockingSleep}: `Atomics.wait` blocks a worker thread the way
 * `time.sleep` blocks a Python thread. A function sent to a worker must be self-contained (it
 * crosses as source text), which this one is. The blocking waits are real time even under a
 * virtual clock; `scale` shortens them for tests and the tour.
 */
import { gather, getEventLoop } from "asyncio-ts";
import { type Out, onEventLoop, type ProgramOptions, runIfScript } from "./lib/program.js";

/** Options of this example. */
export interface RunInExecutorOptions extends ProgramOptions {
  /** Multiplies the seed's 5 s and 4 s blocking sleeps (default 1). */
  scale?: number;
}

/**
 * `time.sleep(seconds)` for a worker thread: blocks the calling thread. Self-contained (it uses
 * only its argument and globals), so executors can send it to a worker.
 */
export function blockingSleep(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

function coroutine(out: Out, n: number, seconds: number): () => Promise<void> {
  return async () => {
    out(`Coroutine ${n} started`);
    out(`Coroutine ${n} paused... waiting ${seconds} s`);
    const loop = getEventLoop();
    // null: the loop's default executor, a ThreadPoolExecutor started on first use.
    await loop.runInExecutor(null, blockingSleep, seconds);
    out(`Coroutine ${n} resumed`);
  };
}

/** Gathers the two blocking coroutines on the event loop and prints the time they took. */
export async function main(
  out: Out = console.log,
  options: RunInExecutorOptions = {},
): Promise<void> {
  const scale = options.scale ?? 1;
  await onEventLoop(async () => {
    const loop = getEventLoop();
    const start = performance.now();
    await loop.runUntilComplete(gather(coroutine(out, 1, 5 * scale), coroutine(out, 2, 4 * scale)));
    out(`time taken: ${((performance.now() - start) / 1000).toFixed(2)} s`);
  }, options);
}

await runIfScript(import.meta.url, main);
