/**
 * Seed 003: how to call a coroutine function — on the loop with `run_until_complete`, and
 * from another coroutine with `await`.
 *
 * ```python
 * async def show_text():
 *     print('Hello world!')
 *
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(show_text())   # Hello world!
 *
 * async def main():
 *     show_text()        # RuntimeWarning: coroutine 'show_text' was never awaited
 * async def main():
 *     await show_text()  # Hello world!
 * ```
 *
 * The middle case differs in JavaScript: calling an async function starts it at once (there is
 * no lazy coroutine object), so it prints; but nothing waits for it, and an error it throws
 * would be an unhandled rejection. The asyncio-ts counterpart of a coroutine object is the
 * function itself (`showText`, not `showText()`), which `createTask`/`gather` start for you.
 */
import { getEventLoop } from "asyncio-ts";
import { type Out, onEventLoop, type ProgramOptions, runIfScript } from "./lib/program.js";

/** Prints the three calls of `showText` the seed makes, each after a label. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  async function showText(): Promise<void> {
    out("Hello world!");
  }

  await onEventLoop(async () => {
    const loop = getEventLoop();

    out("[loop.runUntilComplete(showText)]");
    await loop.runUntilComplete(showText);

    out("[main() calls showText() without await]");
    await loop.runUntilComplete(async () => {
      void showText(); // started at once; asyncio would only warn "never awaited"
    });
    out("(asyncio prints nothing here: the coroutine object is created but never run)");

    out("[main() awaits showText()]");
    await loop.runUntilComplete(async () => {
      await showText();
    });
  }, options);
}

await runIfScript(import.meta.url, main);
