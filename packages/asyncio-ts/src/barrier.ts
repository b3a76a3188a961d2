/**
 * Barrier: `parties` tasks wait for each other, then all go on (asyncio.Barrier, 3.11+).
 *
 * A straight port of CPython's state machine on top of a Condition:
 * filling -> (the last party arrives) draining -> (every party left) filling; `reset()` moves
 * to resetting (waiters get BrokenBarrierError, then back to filling); `abort()` to broken.
 * Tasks arriving while the barrier drains or resets wait until it fills again.
 */

import { Condition } from "./condition.js";
import { BrokenBarrierError, describe } from "./errors.js";

/** The barrier's lifecycle states (asyncio's `_BarrierState`). */
export type BarrierState = "filling" | "draining" | "resetting" | "broken";

/** What `Barrier.statistics()` reports. */
export interface BarrierStatistics {
  state: BarrierState;
  parties: number;
  /** Tasks waiting for the barrier to fill. */
  nWaiting: number;
}

/**
 * A barrier for `parties` tasks (asyncio.Barrier): each `wait()` blocks until `parties` tasks
 * are waiting, then all return, each with a distinct index from 0 to `parties - 1`. `reset()`
 * and `abort()` make waiting tasks throw `BrokenBarrierError`. `new Barrier(0)` is a RangeError.
 *
 * @example
 * ```ts
 * import { run, gather, Barrier } from "asyncio-ts";
 * await run(async () => {
 *   const barrier = new Barrier(3);
 *   const indexes = await gather([1, 2, 3].map(() => () => barrier.wait()));
 *   console.log(indexes.sort()); // [0, 1, 2]
 * });
 * ```
 */
export class Barrier {
  private readonly _cond = new Condition();
  private readonly _parties: number;
  private _state: BarrierState = "filling";
  /** Invariant: the number of tasks inside `wait()` past the blocking stage. */
  private _count = 0;

  constructor(parties: number) {
    if (typeof parties !== "number") {
      throw new TypeError(`Barrier() expected parties as a number, got ${describe(parties)}`);
    }
    if (!Number.isInteger(parties) || parties < 1) {
      throw new RangeError(
        `Barrier() expected parties to be an integer >= 1, got ${describe(parties)}`,
      );
    }
    this._parties = parties;
  }

  /**
   * Waits until `parties` tasks are waiting, then resolves with this task's index (0 to
   * `parties - 1`). Throws `BrokenBarrierError` if the barrier is reset or aborted meanwhile.
   */
  async wait(): Promise<number> {
    await using _ = await this._cond.hold();
    await this._block();
    const index = this._count++;
    try {
      if (index + 1 === this._parties) this._release();
      else await this._wait();
      return index;
    } finally {
      this._count--;
      this._exit();
    }
  }

  /**
   * Resets the barrier to its empty state; tasks waiting on it get `BrokenBarrierError`.
   * Also repairs a broken barrier.
   */
  async reset(): Promise<void> {
    await using _ = await this._cond.hold();
    if (this._count > 0) {
      this._state = "resetting";
    } else {
      this._state = "filling";
    }
    this._cond.notifyAll();
  }

  /** Breaks the barrier: current and future `wait()` calls throw `BrokenBarrierError`. */
  async abort(): Promise<void> {
    await using _ = await this._cond.hold();
    this._state = "broken";
    this._cond.notifyAll();
  }

  /** The number of tasks needed to pass the barrier. */
  get parties(): number {
    return this._parties;
  }

  /** The number of tasks waiting for the barrier to fill. */
  get nWaiting(): number {
    return this._state === "filling" ? this._count : 0;
  }

  /** True once `abort()` broke the barrier (until `reset()`). */
  get broken(): boolean {
    return this._state === "broken";
  }

  /** State, parties and waiting tasks. */
  statistics(): BarrierStatistics {
    return { state: this._state, parties: this._parties, nWaiting: this.nWaiting };
  }

  toString(): string {
    const extra = this.broken ? "" : `, waiters:${this.nWaiting}/${this._parties}`;
    return `<Barrier [${this._state}${extra}]>`;
  }

  /** Waits while the barrier drains or resets; throws if it is broken. */
  private async _block(): Promise<void> {
    await this._cond.waitFor(() => this._state !== "draining" && this._state !== "resetting");
    if (this._state === "broken") throw new BrokenBarrierError(`Barrier aborted: ${this}`);
  }

  /** The last party arrived: let everybody go. */
  private _release(): void {
    this._state = "draining";
    this._cond.notifyAll();
  }

  /** Waits for the last party; throws if the barrier is aborted or reset meanwhile. */
  private async _wait(): Promise<void> {
    await this._cond.waitFor(() => this._state !== "filling");
    if (this._state === "broken" || this._state === "resetting") {
      throw new BrokenBarrierError(`Abort or reset of barrier: ${this}`);
    }
  }

  /** The last task out refills the barrier and wakes tasks blocked while it drained. */
  private _exit(): void {
    if (this._count === 0) {
      if (this._state === "resetting" || this._state === "draining") this._state = "filling";
      this._cond.notifyAll();
    }
  }
}
