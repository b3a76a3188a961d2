/**
 * The shape every example program shares, so tests and the tour can run any of them.
 *
 * An example module exports `main(out, options)`: the whole program, as the seed wrote it
 * (including its `asyncio.run(...)` or `loop.run_until_complete(...)`). `out` receives every
 * line the program prints (the seeds' `print`), so tests can assert them in order;
 * `options.clock` (a `VirtualClock` from `asyncio-ts/testing`) makes its sleeps instant and
 * deterministic. Run as a script (`node examples/dist/src/seed000-delivery.js`), an example
 * uses real time; add `--virtual` to use the virtual clock instead.
 */
import { pathToFileURL } from "node:url";
import { type Clock, run } from "asyncio-ts";
import { VirtualClock } from "asyncio-ts/testing";

/** Where an example prints its lines (`console.log` by default). */
export type Out = (line: string) => void;

/** What every example's `main` accepts besides `out`; examples may add their own fields. */
export interface ProgramOptions {
  /** The clock of the loop the program runs on; omit for real time. */
  clock?: Clock;
}

/** The exported `main` of an example module. */
export type ExampleMain = (out?: Out, options?: ProgramOptions) => Promise<unknown>;

/**
 * `asyncio.run(program())` with the example's clock.
 *
 * @example
 * ```ts
 * import { sleep } from "asyncio-ts";
 * import { runProgram } from "./lib/program.js";
 * await runProgram(async () => { await sleep(1); }, {});
 * ```
 */
export function runProgram<T>(
  program: () => Promise<T>,
  options: ProgramOptions = {},
): Promise<Awaited<T>> {
  return run(program, options.clock === undefined ? {} : { clock: options.clock });
}

/**
 * For the seeds that drive the loop by hand (`loop = asyncio.get_event_loop();
 * loop.run_until_complete(...)`): without a clock, `body` runs on the global loop exactly as
 * the seed does; with a clock, it runs inside `run(…, { clock })`, where `getEventLoop()`
 * returns that run's loop, so the same code runs on virtual time.
 *
 * @example
 * ```ts
 * import { getEventLoop, sleep } from "asyncio-ts";
 * import { onEventLoop } from "./lib/program.js";
 * await onEventLoop(() => getEventLoop().runUntilComplete(sleep(1)), {});
 * ```
 */
export function onEventLoop<T>(body: () => Promise<T>, options: ProgramOptions = {}): Promise<T> {
  if (options.clock === undefined) return body();
  return run(body, { clock: options.clock }) as Promise<T>;
}

/** True when the module at `moduleUrl` is the script node was started with. */
export function isScript(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl;
}

/**
 * The seeds' `if __name__ == "__main__":` — runs `main` when its module is the script node was
 * started with (with a `VirtualClock` if `--virtual` is on the command line), else does nothing.
 *
 * A program that waits on real sockets gives `realTimeOnly` (why): virtual time would jump past
 * its network waits (a client timeout would expire before the request left), so `--virtual` is
 * ignored, with a note on stderr, rather than leaving the program waiting forever.
 *
 * @example
 * ```ts
 * import { runIfScript } from "./lib/program.js";
 * export async function main(out = console.log) { out("hello"); }
 * await runIfScript(import.meta.url, main);
 * ```
 */
export async function runIfScript(
  moduleUrl: string,
  main: ExampleMain,
  realTimeOnly?: string,
): Promise<void> {
  if (!isScript(moduleUrl)) return;
  let virtual = process.argv.includes("--virtual");
  if (virtual && realTimeOnly !== undefined) {
    console.error(`--virtual ignored: this program runs on real time only (${realTimeOnly})`);
    virtual = false;
  }
  await main(console.log, virtual ? { clock: new VirtualClock() } : {});
}
