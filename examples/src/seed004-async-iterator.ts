/**
 * Seed 004, "8. 비동기 이터레이터": `async for` over an async iterator class and over an async
 * generator; JavaScript's `for await` is the same protocol.
 *
 * ```python
 * class AsyncRange:
 *     def __init__(self, start, end): self.start = start; self.end = end
 *     def __aiter__(self): self.current = self.start; return self
 *     async def __anext__(self):
 *         if self.current >= self.end: raise StopAsyncIteration
 *         await asyncio.sleep(0.1)
 *         value = self.current; self.current += 1; return value
 *
 * async def async_range(start, end):
 *     for i in range(start, end):
 *         await asyncio.sleep(0.1)
 *         yield i
 * ```
 */
import { sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** `__aiter__` is `[Symbol.asyncIterator]`, `__anext__` is `next`, StopAsyncIteration is `done`. */
class AsyncRange implements AsyncIterableIterator<number> {
  private current = 0;

  constructor(
    private readonly start: number,
    private readonly end: number,
  ) {}

  [Symbol.asyncIterator](): this {
    this.current = this.start;
    return this;
  }

  async next(): Promise<IteratorResult<number, undefined>> {
    if (this.current >= this.end) return { done: true, value: undefined };
    await sleep(0.1); // asynchronous work
    const value = this.current;
    this.current += 1;
    return { done: false, value };
  }
}

async function* asyncRange(start: number, end: number): AsyncGenerator<number> {
  for (let i = start; i < end; i++) {
    await sleep(0.1);
    yield i;
  }
}

/** Prints 0..4 from the class, then 0..4 from the generator, one every 0.1 s. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    out("-- AsyncRange(0, 5) --");
    for await (const num of new AsyncRange(0, 5)) out(String(num));
    out("-- asyncRange(0, 5) --");
    for await (const num of asyncRange(0, 5)) out(String(num));
  }, options);
}

await runIfScript(import.meta.url, main);
