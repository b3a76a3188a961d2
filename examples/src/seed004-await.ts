/**
 * Seed 004, "await 키워드": `await` waits for a coroutine, task or future and gives its result.
 *
 * ```python
 * async def fetch_data():
 *     print("데이터 가져오는 중...")      # fetching data...
 *     await asyncio.sleep(1)            # simulated I/O
 *     return {"data": "value"}
 *
 * async def main():
 *     result = await fetch_data()
 *     print(result)
 * asyncio.run(main())
 * ```
 *
 * `await` outside an async function is a SyntaxError in Python; in an ES module JavaScript
 * allows it at the top level (the scripts here use that to run `main`).
 */
import { sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { repr } from "./lib/repr.js";

async function fetchData(out: Out): Promise<{ data: string }> {
  out("Fetching data...");
  await sleep(1); // simulated I/O
  return { data: "value" };
}

/** Prints "Fetching data...", then the fetched object one second later. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const result = await fetchData(out);
    out(repr(result));
  }, options);
}

await runIfScript(import.meta.url, main);
