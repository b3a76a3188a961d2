/**
 * Seed 004, "asyncio.timeout() (Python 3.11+)": a deadline for a whole block of code.
 *
 * ```python
 * async def main():
 *     async with asyncio.timeout(2.0):
 *         await slow_operation()
 * ```
 *
 * `async with` becomes a scoped callback: `await timeout(2.0, async (cm) => { ... })`. The
 * callback's own `await` is cancelled at the deadline and the scope raises `TimeoutError`.
 * The seed lets the error end the program; the port catches it to print what happened, and
 * shows a deadline that is moved later with `cm.reschedule`.
 */
import { getRunningLoop, sleep, TimeoutError, timeout } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { seconds } from "./lib/repr.js";

async function slowOperation(): Promise<string> {
  await sleep(10);
  return "done";
}

/** A 2-second deadline on a 10-second operation expires at 2 s; a rescheduled one succeeds. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const loop = getRunningLoop();
    try {
      await timeout(2.0, async () => {
        await slowOperation();
      });
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      out(`TimeoutError at ${seconds(loop.time())} s: ${error.message}`);
    }

    const result = await timeout(2.0, async (cm) => {
      cm.reschedule(loop.time() + 20); // more time for this one
      return slowOperation();
    });
    out(`with a rescheduled deadline: ${result} at ${seconds(loop.time())} s`);
  }, options);
}

await runIfScript(import.meta.url, main);
