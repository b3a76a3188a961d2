/**
 * Seed 004 §11, "Semaphore (limiting concurrency)": ten tasks, at most three at a time.
 *
 * ```python
 * async def limited_task(sem, n):
 *     async with sem:
 *         print(f"작업 {n} 시작")                 # task {n} started
 *         await asyncio.sleep(1)
 *         print(f"작업 {n} 완료")                 # task {n} done
 * async def main():
 *     sem = asyncio.Semaphore(3)  # at most 3 at once
 *     tasks = [limited_task(sem, i) for i in range(10)]
 *     await asyncio.gather(*tasks)
 * asyncio.run(main())
 * ```
 *
 * `async with sem:` becomes `await using _ = await sem.hold();`: the permit is released when the
 * block ends, however it ends. Ten one-second tasks take four seconds: 3 + 3 + 3 + 1.
 */
import { gather, Semaphore, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Runs the seed's ten limited tasks through a Semaphore(3). */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  async function limitedTask(sem: Semaphore, n: number): Promise<void> {
    await using _ = await sem.hold();
    out(`task ${n} started`);
    await sleep(1);
    out(`task ${n} done`);
  }

  await runProgram(async () => {
    const sem = new Semaphore(3); // at most 3 at once
    const tasks = Array.from({ length: 10 }, (_, i) => () => limitedTask(sem, i));
    await gather(tasks);
  }, options);
}

await runIfScript(import.meta.url, main);
