/**
 * Seed 004, "4. Task 생성": `create_task` schedules a coroutine at once; the tasks start when
 * main next waits, in creation order, and finish in the order of their sleeps.
 *
 * ```python
 * async def task(name, seconds):
 *     print(f"{name} 시작"); await asyncio.sleep(seconds); print(f"{name} 완료")
 *     return name
 * async def main():
 *     task1 = asyncio.create_task(task("A", 2))
 *     task2 = asyncio.create_task(task("B", 1))
 *     print("태스크 생성됨")                    # tasks created
 *     result1 = await task1
 *     result2 = await task2
 *     print(f"결과: {result1}, {result2}")     # results: A, B
 * ```
 *
 * Printed order: tasks created, A started, B started, B done, A done, results: A, B.
 */
import { createTask, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

async function task(out: Out, name: string, seconds: number): Promise<string> {
  out(`${name} started`);
  await sleep(seconds);
  out(`${name} done`);
  return name;
}

/** Creates A (2 s) and B (1 s), then awaits both; done after 2 s. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    // Each task is scheduled now but starts only when main yields (at its first await).
    const task1 = createTask(() => task(out, "A", 2));
    const task2 = createTask(() => task(out, "B", 1));
    out("tasks created"); // other work can happen here
    const result1 = await task1;
    const result2 = await task2; // already done: B finished first
    out(`results: ${result1}, ${result2}`);
  }, options);
}

await runIfScript(import.meta.url, main);
