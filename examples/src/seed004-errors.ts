/**
 * Seed 004, "12. 에러 처리": a task's exception is raised where the task is awaited; with
 * `return_exceptions=True`, `gather` hands errors back as values.
 *
 * ```python
 * async def risky_task():
 *     await asyncio.sleep(1)
 *     raise ValueError("오류!")                      # error!
 * task = asyncio.create_task(risky_task())
 * try:
 *     await task
 * except ValueError as e:
 *     print(f"예외 발생: {e}")                       # exception raised: {e}
 *
 * tasks = [asyncio.create_task(task1()), asyncio.create_task(task2())]
 * results = await asyncio.gather(*tasks, return_exceptions=True)
 * for result in results:
 *     if isinstance(result, Exception): print(f"에러: {result}")   # error: ...
 *     else: print(f"성공: {result}")                              # success: ...
 * ```
 *
 * The seed leaves `task1` and `task2` undefined; here the first succeeds after 1 s and the
 * second fails after 0.5 s. A last part shows the structured alternative, a TaskGroup, where
 * the first failure cancels the sibling and the errors arrive together in an ExceptionGroup.
 */
import { createTask, ExceptionGroup, gather, sleep, type Task, taskGroup } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { repr } from "./lib/repr.js";

async function riskyTask(): Promise<never> {
  await sleep(1);
  throw new RangeError("error!"); // ValueError -> RangeError
}

async function task1(): Promise<string> {
  await sleep(1);
  return "task1 result";
}

async function task2(): Promise<string> {
  await sleep(0.5);
  throw new RangeError("task2 failed");
}

/** Catches one task's error, then sorts gathered results from errors, then a TaskGroup. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const task = createTask(riskyTask);
    try {
      await task;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      out(`Exception raised: ${error.message}`);
    }

    const tasks = [createTask(task1), createTask(task2)];
    const results = await gather(tasks, { returnExceptions: true });
    for (const result of results) {
      if (result instanceof Error) out(`Error: ${result.message}`);
      else out(`Success: ${result}`);
    }

    let sibling: Task<string> | undefined;
    try {
      await taskGroup(async (tg) => {
        sibling = tg.createTask(task1, { name: "task1" });
        tg.createTask(task2, { name: "task2" });
      });
    } catch (error) {
      if (!(error instanceof ExceptionGroup)) throw error;
      out(`TaskGroup: ${repr(error.exceptions)}; task1 cancelled: ${sibling?.cancelled()}`);
    }
  }, options);
}

await runIfScript(import.meta.url, main);
