/**
 * `asyncio-ts` as seen by a program started with `--import ./register.js`: the same exports,
 * except that `run()` uses a fresh VirtualClock unless the caller passes a clock. The docs test
 * uses it to run the guide's examples, written for real time, deterministically.
 */
import { type RunOptions, run as realRun } from "asyncio-ts";
import { VirtualClock } from "asyncio-ts/testing";

export * from "asyncio-ts";

/** `run()` on virtual time by default. */
export function run<T>(main: () => T | PromiseLike<T>, options: RunOptions = {}) {
  return realRun(main, { clock: new VirtualClock(), ...options });
}
