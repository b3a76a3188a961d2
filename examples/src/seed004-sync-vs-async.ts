/**
 * Seed 004, "1. 동기 vs 비동기": three two-second tasks one after the other (6 s), then the same
 * three at once with `gather` (2 s).
 *
 * ```python
 * def task(name, duration):                 async def task(name, duration):
 *     print(f"{name} 시작")   # started          print(f"{name} 시작")
 *     time.sleep(duration)    # blocking         await asyncio.sleep(duration)  # non-blocking
 *     print(f"{name} 완료")   # done             print(f"{name} 완료")
 * # total 6 s                                 await asyncio.gather(task("작업1", 2), ...)  # 2 s
 * ```
 *
 * The synchronous version awaits each task before starting the next: the same one-at-a-time
 * order as `time.sleep`, but on the loop's clock, so it runs under the virtual clock too. (A
 * truly blocking sleep, `Atomics.wait` on the main thread, would freeze every task.)
 */
import { gather, getRunningLoop, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { seconds } from "./lib/repr.js";

async function task(out: Out, name: string, duration: number): Promise<void> {
  out(`${name} started`);
  await sleep(duration);
  out(`${name} done`);
}

/** Runs the three tasks sequentially (6 s), then concurrently (2 s), printing each total. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const loop = getRunningLoop();
    out("-- synchronous: one after the other --");
    let start = loop.time();
    await task(out, "Task 1", 2);
    await task(out, "Task 2", 2);
    await task(out, "Task 3", 2);
    out(`total ${seconds(loop.time() - start)} s`);

    out("-- asynchronous: gather --");
    start = loop.time();
    await gather(
      () => task(out, "Task 1", 2),
      () => task(out, "Task 2", 2),
      () => task(out, "Task 3", 2),
    );
    out(`total ${seconds(loop.time() - start)} s`);
  }, options);
}

await runIfScript(import.meta.url, main);
