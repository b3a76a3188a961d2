/**
 * Seed 000, "예제코드": the food delivery. Three deliveries run concurrently with `gather`, so
 * they take as long as the longest meal (3), not the sum of the three (6).
 *
 * ```python
 * async def delivery(name, mealtime):
 *     print(f"{name}에게 배달 완료!")                 # delivered to {name}!
 *     await asyncio.sleep(mealtime)
 *     print(f"{name} 식사 완료, {mealtime}시간 소요...") # {name} finished eating, took {mealtime} h...
 *     print(f"{name} 그릇 수거 완료")                  # {name}'s dishes collected
 *     return mealtime
 *
 * async def main():
 *     result = await asyncio.gather(delivery("A", 1), delivery("B", 2), delivery("C", 3))
 *     print(result)
 * ```
 *
 * The seed sleeps `mealtime` seconds and calls them hours; the port keeps its numbers, so as a
 * script it takes 3 s, and under the virtual clock 3 virtual seconds in a few milliseconds.
 */
import { gather, getRunningLoop, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { repr, seconds } from "./lib/repr.js";

async function delivery(out: Out, name: string, mealtime: number): Promise<number> {
  out(`Delivered to ${name}!`);
  await sleep(mealtime);
  out(`${name} finished eating, took ${mealtime} h...`);
  out(`${name}'s dishes collected`);
  return mealtime;
}

/** Runs the three deliveries with `gather`, prints the results and the elapsed time. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const start = getRunningLoop().time();
    const result = await gather(
      () => delivery(out, "A", 1),
      () => delivery(out, "B", 2),
      () => delivery(out, "C", 3),
    );
    out(repr(result));
    // The seed prints `end - start` around asyncio.run; the loop's clock measures the same span.
    out(`${seconds(getRunningLoop().time() - start)} s`);
  }, options);
}

await runIfScript(import.meta.url, main);
