/**
 * Seed 003: awaiting a coroutine gives its return value.
 *
 * ```python
 * async def calculator(x, y):
 *     return x * y
 *
 * async def main(a, b):
 *     cal_result = await calculator(a, b)
 *     print('{} * {} = {}'.format(a, b, cal_result))
 *
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(main(2, 5))
 * loop.close()
 * ```
 */
import { getEventLoop } from "asyncio-ts";
import { type Out, onEventLoop, type ProgramOptions, runIfScript } from "./lib/program.js";

async function calculator(x: number, y: number): Promise<number> {
  return x * y;
}

async function program(out: Out, a: number, b: number): Promise<void> {
  const calResult = await calculator(a, b); // the awaited coroutine's return value
  out(`${a} * ${b} = ${calResult}`);
}

/** Prints "2 * 5 = 10". */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await onEventLoop(async () => {
    const loop = getEventLoop();
    await loop.runUntilComplete(() => program(out, 2, 5));
    // `loop.close()`: not needed. run() closes its own loop; the global loop used outside
    // run() lives as long as the process and holds nothing that keeps it alive.
  }, options);
}

await runIfScript(import.meta.url, main);
