/**
 * Seed 004, "asyncio.wait_for()": give an operation a time limit; on expiry it is cancelled
 * and `TimeoutError` is raised.
 *
 * ```python
 * async def slow_operation():
 *     await asyncio.sleep(10)
 *     return "완료"                         # done
 * try:
 *     result = await asyncio.wait_for(slow_operation(), timeout=2.0)
 * except asyncio.TimeoutError:
 *     print("타임아웃!")                     # timeout!
 * ```
 */
import { CancelledError, getRunningLoop, sleep, TimeoutError, waitFor } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { seconds } from "./lib/repr.js";

/** Prints "Timeout!" after 2 s; the slow operation was cancelled, not left running. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    async function slowOperation(): Promise<string> {
      try {
        await sleep(10);
        return "done";
      } catch (error) {
        if (error instanceof CancelledError) out("slow operation cancelled");
        throw error; // a CancelledError must propagate
      }
    }

    try {
      const result = await waitFor(slowOperation, 2.0);
      out(result);
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      out(`Timeout! (after ${seconds(getRunningLoop().time())} s)`);
    }
  }, options);
}

await runIfScript(import.meta.url, main);
