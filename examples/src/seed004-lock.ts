/**
 * Seed 004 §11, "Lock": three workers take one lock in turn.
 *
 * ```python
 * async def worker(lock, name):
 *     async with lock:
 *         print(f"{name} 획득")                   # {name} acquired
 *         await asyncio.sleep(1)
 *         print(f"{name} 해제")                   # {name} released
 * async def main():
 *     lock = asyncio.Lock()
 *     await asyncio.gather(worker(lock, "A"), worker(lock, "B"), worker(lock, "C"))
 * asyncio.run(main())
 * ```
 *
 * `async with lock:` becomes `await using _ = await lock.hold();`. The lock is FIFO: A, then B,
 * then C, one second each.
 */
import { gather, Lock, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Runs the seed's three workers around one Lock. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  async function worker(lock: Lock, name: string): Promise<void> {
    await using _ = await lock.hold();
    out(`${name} acquired`);
    await sleep(1);
    out(`${name} released`);
  }

  await runProgram(async () => {
    const lock = new Lock();
    await gather(
      () => worker(lock, "A"),
      () => worker(lock, "B"),
      () => worker(lock, "C"),
    );
  }, options);
}

await runIfScript(import.meta.url, main);
