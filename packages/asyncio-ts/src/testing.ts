/**
 * asyncio-ts/testing: tools for deterministic tests of concurrent code.
 * @module
 */
import type { Clock } from "./core/clock.js";

/**
 * A clock for `run(main, { clock })` in which time stands still while any task can run and
 * jumps to the next timer when every task is waiting on time, so an hour of sleeps and timeouts
 * runs in milliseconds and in the same order every time (Trio's autojumping MockClock, asyncio's
 * TestLoop). Time starts at `start` (default 0). Real I/O (sockets, files, workers) is not
 * virtualised: while a task waits on it, the clock may still jump.
 *
 * @example
 * ```ts
 * import { run, sleep, getRunningLoop } from "asyncio-ts";
 * import { VirtualClock } from "asyncio-ts/testing";
 * const clock = new VirtualClock();
 * await run(async () => {
 *   await sleep(3600); // returns at once
 *   console.log(getRunningLoop().time()); // 3600
 * }, { clock });
 * ```
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  private now: number;

  constructor(start = 0) {
    if (typeof start !== "number" || !Number.isFinite(start)) {
      throw new RangeError(
        `VirtualClock expected a finite start time in seconds, got ${String(start)}`,
      );
    }
    this.now = start;
  }

  /** The virtual time in seconds. */
  time(): number {
    return this.now;
  }

  /** Moves time forward to `when` (the loop calls this; tests rarely need to). */
  advanceTo(when: number): void {
    if (when > this.now) this.now = when;
  }

  toString(): string {
    return `<VirtualClock time=${this.now}>`;
  }
}
