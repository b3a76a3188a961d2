/**
 * Seed 004, "3. asyncio 이벤트 루프": running the main coroutine with `asyncio.run`, or by hand
 * with `loop.run_until_complete`, and getting the running loop from inside a coroutine.
 *
 * ```python
 * async def main():
 *     print("메인 코루틴")                       # main coroutine
 * asyncio.run(main())
 * # loop = asyncio.get_event_loop(); loop.run_until_complete(main())
 *
 * async def show_loop():
 *     loop = asyncio.get_running_loop()
 *     print(f"현재 루프: {loop}")                # current loop: ...
 * asyncio.run(show_loop())
 * ```
 */
import { getEventLoop, getRunningLoop } from "asyncio-ts";
import {
  type Out,
  onEventLoop,
  type ProgramOptions,
  runIfScript,
  runProgram,
} from "./lib/program.js";

/** Runs the main coroutine both ways, then prints the running loop. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  async function mainCoroutine(): Promise<void> {
    out("main coroutine");
  }
  async function showLoop(): Promise<void> {
    const loop = getRunningLoop();
    out(`current loop: ${loop}`);
  }

  await runProgram(mainCoroutine, options); // asyncio.run(main())
  await onEventLoop(() => getEventLoop().runUntilComplete(mainCoroutine), options); // by hand
  await runProgram(showLoop, options);
}

await runIfScript(import.meta.url, main);
