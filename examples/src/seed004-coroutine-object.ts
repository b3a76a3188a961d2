/**
 * Seed 004, "코루틴 정의": calling a coroutine function gives a coroutine object, which runs
 * only when awaited or passed to `asyncio.run`.
 *
 * ```python
 * async def my_coroutine():
 *     return "Hello, Async!"
 * coro = my_coroutine()
 * print(coro)                             # <coroutine object my_coroutine at ...>
 * result = asyncio.run(my_coroutine())
 * print(result)                           # Hello, Async!
 * ```
 *
 * JavaScript has no lazy coroutine object: calling an async function runs it at once and
 * returns a Promise. What asyncio-ts starts later, as a task, is the function itself
 * (`createTask(myCoroutine)`); a `Task` prints like asyncio's (`<Task pending name=...>`).
 */
import { createTask } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

async function myCoroutine(): Promise<string> {
  return "Hello, Async!";
}

/** Shows the promise a call returns, a task before it runs, and the result. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  const coro = myCoroutine(); // already ran to its end: there is nothing lazy to hold
  out(String(coro)); // [object Promise], where Python prints <coroutine object my_coroutine ...>
  out(`the promise resolves to: ${await coro}`);

  // asyncio.run(my_coroutine()): run() takes the function and runs it as the main task.
  const result = await runProgram(myCoroutine, options);
  out(result);

  await runProgram(async () => {
    const task = createTask(myCoroutine, { name: "my_coroutine" });
    out(String(task)); // not started yet: tasks start after createTask returns
    out(await task);
  }, options);
}

await runIfScript(import.meta.url, main);
