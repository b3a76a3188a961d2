/**
 * Seed 004, "asyncio.as_completed()": results in the order the work finishes.
 *
 * ```python
 * tasks = [fetch("url1", 3), fetch("url2", 1), fetch("url3", 2)]
 * for coro in asyncio.as_completed(tasks):
 *     result = await coro
 *     print(result)  # 완료 순서: url2, url3, url1   (completion order)
 * ```
 *
 * Both iteration forms of Python 3.13: a plain `for` gives promises to await, in completion
 * order (the seed's form); `for await` gives back the tasks themselves as they finish.
 */
import { asCompleted, createTask } from "asyncio-ts";
import { fetch } from "./lib/pretend-fetch.js";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Prints url2, url3, url1 at 1, 2 and 3 s; then the same again with `for await`. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    out("-- for (const next of asCompleted(...)) await next --");
    const work = [() => fetch("url1", 3), () => fetch("url2", 1), () => fetch("url3", 2)];
    for (const next of asCompleted(work)) {
      const result = await next;
      out(String(result));
    }

    out("-- for await (const task of asCompleted(tasks)) --");
    const tasks = [
      createTask(() => fetch("url1", 3), { name: "url1" }),
      createTask(() => fetch("url2", 1), { name: "url2" }),
      createTask(() => fetch("url3", 2), { name: "url3" }),
    ];
    for await (const task of asCompleted(tasks)) {
      out(`${task.name}: ${await task}`);
    }
  }, options);
}

await runIfScript(import.meta.url, main);
