/**
 * Seed 004, "return_exceptions=True": with `returnExceptions`, a failing awaitable's error
 * takes its place in the results and the others run on.
 *
 * ```python
 * async def might_fail(n):
 *     if n == 2:
 *         raise ValueError("Error!")
 *     await asyncio.sleep(1)
 *     return n
 * results = await asyncio.gather(might_fail(1), might_fail(2), might_fail(3),
 *                                return_exceptions=True)
 * print(results)  # [1, ValueError('Error!'), 3]
 * ```
 *
 * Python's ValueError is RangeError in asyncio-ts (see the API's translation rules).
 */
import { gather, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { repr } from "./lib/repr.js";

async function mightFail(n: number): Promise<number> {
  if (n === 2) throw new RangeError("Error!");
  await sleep(1);
  return n;
}

/** Prints `[1, RangeError('Error!'), 3]` after 1 s. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const results = await gather([() => mightFail(1), () => mightFail(2), () => mightFail(3)], {
      returnExceptions: true,
    });
    out(repr(results));
  }, options);
}

await runIfScript(import.meta.url, main);
