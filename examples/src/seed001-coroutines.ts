/**
 * Seed 001, "연습": two coroutines scheduled on the event loop by hand with
 * `loop.run_until_complete(asyncio.gather(...))`. The one that waits less resumes first.
 *
 * ```python
 * async def coroutine_1():
 *     print('코루틴 1 시작')                 # coroutine 1 started
 *     print('코루틴 1 중단... 5초간 대기')    # coroutine 1 paused... waiting 5 s
 *     await asyncio.sleep(5)
 *     print('코루틴 1 재개')                 # coroutine 1 resumed
 * # coroutine_2 alike, with 4 s
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(asyncio.gather(*[coroutine_1(), coroutine_2()]))
 * ```
 *
 * JavaScript cannot block, so `runUntilComplete` returns a promise to await.
 */
import { gather, getEventLoop, sleep } from "asyncio-ts";
import { type Out, onEventLoop, type ProgramOptions, runIfScript } from "./lib/program.js";

function coroutine(out: Out, n: number, seconds: number): () => Promise<void> {
  return async () => {
    out(`Coroutine ${n} started`);
    out(`Coroutine ${n} paused... waiting ${seconds} s`);
    await sleep(seconds); // a suspension point: the loop runs the other coroutine meanwhile
    out(`Coroutine ${n} resumed`);
  };
}

/** Gathers coroutine 1 (5 s) and coroutine 2 (4 s) on the event loop; done after 5 s. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await onEventLoop(async () => {
    const loop = getEventLoop();
    // Scheduled in order; the first to be answered (coroutine 2, 4 s) resumes first.
    await loop.runUntilComplete(gather(coroutine(out, 1, 5), coroutine(out, 2, 4)));
  }, options);
}

await runIfScript(import.meta.url, main);
