/**
 * Seed 004, "7. 비동기 컨텍스트 매니저": a resource acquired and released around a block, with
 * awaits on both ends.
 *
 * ```python
 * class AsyncResource:
 *     async def __aenter__(self):
 *         print("리소스 획득")          # resource acquired
 *         await asyncio.sleep(0.1)
 *         return self
 *     async def __aexit__(self, exc_type, exc_val, exc_tb):
 *         print("리소스 해제")          # resource released
 *         await asyncio.sleep(0.1)
 *
 * async def main():
 *     async with AsyncResource() as resource:
 *         print("리소스 사용")          # using resource
 * ```
 *
 * Two JavaScript idioms for `async with`:
 * 1. `await using resource = await AsyncResource.acquire()` with `[Symbol.asyncDispose]`:
 *    released when the block ends, but the release cannot see the block's error.
 * 2. A scoped callback, `await AsyncResource.use(async (resource) => ...)`: the release sees
 *    the error, as `__aexit__` does (and may suppress it). asyncio-ts uses this form for the
 *    scopes that must react to errors, `taskGroup` and `timeout`.
 */
import { sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

class AsyncResource implements AsyncDisposable {
  private constructor(private readonly out: Out) {}

  /** `__aenter__` */
  static async acquire(out: Out): Promise<AsyncResource> {
    out("resource acquired");
    await sleep(0.1);
    return new AsyncResource(out);
  }

  /** `async with AsyncResource() as resource: body` — `__aexit__` sees the body's error. */
  static async use<R>(out: Out, body: (resource: AsyncResource) => Promise<R>): Promise<R> {
    const resource = await AsyncResource.acquire(out);
    let result: R;
    try {
      result = await body(resource);
    } catch (error) {
      await resource.release(error);
      throw error; // __aexit__ returning a falsy value: the error propagates
    }
    await resource.release(undefined);
    return result;
  }

  /** `__aexit__`; `error` is what the block threw, if anything. */
  async release(error: unknown): Promise<void> {
    this.out(error === undefined ? "resource released" : `resource released after: ${error}`);
    await sleep(0.1);
  }

  /** What `await using` calls when the block ends (it cannot see the block's error). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release(undefined);
  }
}

/** Uses the resource with `await using`, then with a scoped callback, then with an error. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    out("-- await using --");
    {
      await using resource = await AsyncResource.acquire(out);
      out(`using resource (${resource instanceof AsyncResource})`);
    }

    out("-- scoped callback --");
    await AsyncResource.use(out, async () => {
      out("using resource");
    });

    out("-- scoped callback, the block fails --");
    try {
      await AsyncResource.use(out, async () => {
        throw new RangeError("bad input");
      });
    } catch (error) {
      out(`the error still propagates: ${error}`);
    }
  }, options);
}

await runIfScript(import.meta.url, main);
