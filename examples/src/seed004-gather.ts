/**
 * Seed 004, "asyncio.gather()": run several coroutines at once and get every result, in
 * argument order whatever order they finish in.
 *
 * ```python
 * async def fetch(url, delay):
 *     await asyncio.sleep(delay)
 *     return f"{url} 데이터"                     # {url} data
 * results = await asyncio.gather(fetch("url1", 1), fetch("url2", 2), fetch("url3", 1))
 * print(results)  # ['url1 데이터', 'url2 데이터', 'url3 데이터']
 * ```
 */
import { gather } from "asyncio-ts";
import { fetch } from "./lib/pretend-fetch.js";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { repr } from "./lib/repr.js";

/** Gathers three fetches (1 s, 2 s, 1 s); prints the results after 2 s. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const results = await gather(
      () => fetch("url1", 1),
      () => fetch("url2", 2),
      () => fetch("url3", 1),
    );
    out(repr(results)); // ['url1 data', 'url2 data', 'url3 data']
  }, options);
}

await runIfScript(import.meta.url, main);
