/**
 * Seed 000, "asyncio 문법": the first coroutine — print, sleep one second, print.
 *
 * ```python
 * async def main():
 *     print('hello')
 *     await asyncio.sleep(1)
 *     print('world')
 * asyncio.run(main())
 * ```
 */
import { sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Prints "hello", waits one second without blocking the loop, prints "world". */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    out("hello");
    await sleep(1); // the one-second pause between the two lines
    out("world");
  }, options);
}

await runIfScript(import.meta.url, main);
