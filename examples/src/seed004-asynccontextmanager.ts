/**
 * Seed 004, "contextlib 버전": an async context manager written as an async generator.
 *
 * ```python
 * @asynccontextmanager
 * async def async_resource():
 *     print("획득")              # acquire
 *     yield "resource"
 *     print("해제")              # release
 *
 * async def main():
 *     async with async_resource() as r:
 *         print(f"사용: {r}")     # using: resource
 * ```
 *
 * `asyncContextManager` below is `contextlib.asynccontextmanager` for JavaScript: the code
 * before the `yield` enters, the code after it exits. Its result offers both idioms for
 * `async with`: `.use(body)` (the generator sees the body's error at its `yield`, as in
 * Python) and `await using entered = await cm.enter()` (`entered.value` is the yielded value).
 */
import { RuntimeError } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** One entry into a generator-based context manager. */
interface AsyncContextManager<T> {
  /** `async with cm as value: body(value)`. */
  use<R>(body: (value: T) => Promise<R>): Promise<R | undefined>;
  /** For `await using entered = await cm.enter()`. */
  enter(): Promise<{ readonly value: T } & AsyncDisposable>;
}

/** `contextlib.asynccontextmanager`: turns a one-`yield` async generator into a context manager. */
function asyncContextManager<A extends unknown[], T>(
  generator: (...args: A) => AsyncGenerator<T, void, undefined>,
): (...args: A) => AsyncContextManager<T> {
  return (...args) => {
    const it = generator(...args);
    const enter = async (): Promise<T> => {
      const first = await it.next();
      if (first.done) throw new RuntimeError("generator didn't yield");
      return first.value;
    };
    const exitNormally = async (): Promise<void> => {
      if (!(await it.next()).done) throw new RuntimeError("generator didn't stop");
    };
    return {
      async use(body) {
        const value = await enter();
        let result: Awaited<ReturnType<typeof body>>;
        try {
          result = await body(value);
        } catch (error) {
          // Raise the error at the `yield`: rethrown, it propagates; caught, it is suppressed.
          if (!(await it.throw(error)).done) {
            throw new RuntimeError("generator didn't stop after throw()");
          }
          return undefined;
        }
        await exitNormally();
        return result;
      },
      async enter() {
        const value = await enter();
        return { value, [Symbol.asyncDispose]: exitNormally };
      },
    };
  };
}

/** Enters the generator-based manager with both idioms. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  const asyncResource = asyncContextManager(async function* () {
    out("acquire");
    yield "resource";
    out("release");
  });

  await runProgram(async () => {
    await asyncResource().use(async (r) => {
      out(`using: ${r}`);
    });

    await using entered = await asyncResource().enter();
    out(`using: ${entered.value}`);
  }, options);
}

await runIfScript(import.meta.url, main);
