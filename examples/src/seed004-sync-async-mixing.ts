/**
 * Seed 004, "10. 동기 코드와 혼합": blocking code from async code (`run_in_executor`,
 * `to_thread`), and async code from sync code (`asyncio.run`).
 *
 * ```python
 * def blocking_io():
 *     """동기 I/O 작업"""         # synchronous I/O work
 *     time.sleep(2)
 *     return "결과"               # result
 *
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     result = await loop.run_in_executor(None, blocking_io)   # the default thread pool
 *     print(result)
 *     result = await asyncio.to_thread(blocking_io)            # Python 3.9+
 *     print(result)
 *
 * async def async_func():
 *     await asyncio.sleep(1)
 *     return "결과"
 * result = asyncio.run(async_func())   # called from synchronous code
 * print(result)
 * ```
 *
 * The blocking function runs in a worker thread, so it must be self-contained (no variables
 * of the code around it); `Atomics.wait` is JavaScript's `time.sleep`. A blocking wait is real
 * time even under the virtual clock, so `blockingSeconds` lets the tour and tests shorten it.
 * JavaScript cannot block on a promise, so "async from sync" is `await run(...)` at a module's
 * top level.
 */
import { getRunningLoop, sleep, toThread } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Options of this example: how long the blocking call blocks (the seed's 2 s by default). */
export interface MixingOptions extends ProgramOptions {
  blockingSeconds?: number;
}

/** Synchronous I/O: blocks its thread for `seconds`, like `time.sleep`. Self-contained. */
function blockingIo(seconds: number): string {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
  return "result";
}

async function asyncFunc(): Promise<string> {
  await sleep(1);
  return "result";
}

/** Runs `blockingIo` with `runInExecutor` and `toThread`, then `asyncFunc` with `run`. */
export async function main(out: Out = console.log, options: MixingOptions = {}): Promise<void> {
  const blockingSeconds = options.blockingSeconds ?? 2;
  await runProgram(async () => {
    const loop = getRunningLoop();
    // null: the default executor, a ThreadPoolExecutor (shut down by run() at the end).
    let result = await loop.runInExecutor(null, blockingIo, blockingSeconds);
    out(`runInExecutor: ${result}`);
    result = await toThread(blockingIo, blockingSeconds);
    out(`toThread: ${result}`);
  }, options);

  // asyncio.run(async_func()) from synchronous code: a top-level `await run(asyncFunc)`.
  const result = await runProgram(asyncFunc, options);
  out(`run: ${result}`);
}

await runIfScript(import.meta.url, main);
