/**
 * Seed 004, "asyncio.wait()": wait for the first task to finish, then cancel the rest.
 *
 * ```python
 * tasks = [asyncio.create_task(fetch("url1", 2)),
 *          asyncio.create_task(fetch("url2", 1)),
 *          asyncio.create_task(fetch("url3", 3))]
 * done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
 * print(f"완료: {len(done)}, 대기 중: {len(pending)}")   # done: 1, pending: 2
 * for task in pending:
 *     task.cancel()
 * ```
 *
 * The port adds two lines the seed leaves implicit: which task finished, and that the pending
 * ones did end cancelled.
 */
import { createTask, FIRST_COMPLETED, wait } from "asyncio-ts";
import { fetch } from "./lib/pretend-fetch.js";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Returns after 1 s with url2 done and url1, url3 pending, then cancels those two. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const tasks = [
      createTask(() => fetch("url1", 2), { name: "url1" }),
      createTask(() => fetch("url2", 1), { name: "url2" }),
      createTask(() => fetch("url3", 3), { name: "url3" }),
    ];
    const [done, pending] = await wait(tasks, { returnWhen: FIRST_COMPLETED });
    out(`done: ${done.size}, pending: ${pending.size}`);
    for (const task of done) out(`finished first: ${await task}`);

    // Cancel the rest (wait() itself never cancels anything).
    for (const task of pending) task.cancel();
    await wait(pending); // let them finish cancelling
    const cancelled = tasks.filter((task) => task.cancelled()).map((task) => task.name);
    out(`cancelled: ${cancelled.join(", ")}`);
  }, options);
}

await runIfScript(import.meta.url, main);
