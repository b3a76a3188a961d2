/**
 * The loop reads time through a Clock (STYLE.md lesson 7, "inject time"). The real clock is
 * monotonic; `VirtualClock` (asyncio-ts/testing) is the other implementation.
 */

/** A source of loop time, in seconds. */
export interface Clock {
  /** Current time in seconds; monotonic, arbitrary origin. */
  time(): number;
  /**
   * When true the clock is virtual: the loop never waits for real time. Whenever nothing can run
   * it calls `advanceTo(nextDeadline)` and fires the due timers at once.
   */
  readonly virtual: boolean;
  /** Virtual clocks only: moves time forward to `when` (never backward). */
  advanceTo?(when: number): void;
}

/** Monotonic wall-clock time from `performance.now()`, in seconds. */
export const realClock: Clock = {
  virtual: false,
  time: () => performance.now() / 1000,
};
