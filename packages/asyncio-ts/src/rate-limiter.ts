/**
 * RateLimiter: at most `rate` units per `per` seconds, with bursts up to `burst` (GCRA).
 *
 * Why GCRA (the generic cell rate algorithm) rather than a token bucket with a refill loop:
 * it admits exactly what a token bucket of capacity `burst` refilled continuously at
 * `rate / per` units per second admits, but its whole state is one number, the theoretical
 * arrival time `tat` (when the bucket would be full again). There is no refill timer and no
 * floating drift from repeated refills; the time at which a waiter conforms is computed in
 * closed form, so one loop timer serves the whole queue, and a bucket whose `tat` is in the past
 * is indistinguishable from a new one, which is what lets KeyedRateLimiter drop idle buckets.
 *
 * With T = per / rate (seconds per unit) and a request of `weight` w at time `now`:
 *   newTat = max(tat, now) + w * T, and it conforms iff newTat - now <= burst * T.
 *
 * Fairness and cancellation: waiters are served strictly FIFO (a light request never overtakes
 * a heavy one queued earlier, and `acquire`/`tryAcquire` never barge past waiters). A waiter
 * is charged only when admitted; a waiter cancelled before admission consumes nothing, and one
 * admitted and cancelled before it resumed is refunded (its units are returned to the bucket).
 */

import { RESOLVED_VOID } from "./core/bare-promise.js";
import { currentTaskOrUndefined, eventLoop } from "./core/context.js";
import { Future } from "./core/future.js";
import type { TimerHandle } from "./core/handle.js";
import type { EventLoop } from "./core/loop.js";
import { takePendingCancel, WaiterQueue, wasGranted } from "./core/waiter-queue.js";
import { describe, RuntimeError } from "./errors.js";
import { checkOptions } from "./validate.js";

/** Options of `RateLimiter` and `KeyedRateLimiter`. */
export interface RateLimiterOptions {
  /** Units (requests, by default) allowed per `per` seconds; > 0. */
  rate: number;
  /** The period in seconds (default 1). */
  per?: number;
  /** The largest burst, in units (default `max(1, rate)`); also the largest weight. */
  burst?: number;
}

/** What `RateLimiter.statistics()` reports. */
export interface RateLimiterStatistics {
  rate: number;
  per: number;
  burst: number;
  /** Units that could be acquired right now without waiting (ignoring queued waiters). */
  available: number;
  /** Tasks waiting to be admitted. */
  waiters: number;
  /** Units admitted so far. */
  admitted: number;
}

/** Relative tolerance for comparing float times (a timer fires exactly at the computed time). */
const EPSILON = 1e-9;

/** @internal Validated options shared by both limiters. */
export interface Limits {
  rate: number;
  per: number;
  burst: number;
  /** Seconds per unit. */
  interval: number;
}

function positiveNumber(fn: string, option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${fn} expected ${option} to be a finite number > 0, got ${describe(value)}`,
    );
  }
  return value;
}

/** @internal */
export function validateLimits(fn: string, options: RateLimiterOptions): Limits {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${fn} expected options { rate, per?, burst? }, got ${describe(options)}`);
  }
  checkOptions(fn, options, ["rate", "per", "burst"]);
  const rate = positiveNumber(fn, "rate", options.rate);
  const per = positiveNumber(fn, "per", options.per ?? 1);
  const burst = positiveNumber(fn, "burst", options.burst ?? Math.max(1, rate));
  const interval = per / rate;
  // Each is valid alone, but the quotient can overflow to Infinity or underflow to 0 (rate
  // 1e-320): with an infinite time per unit every conformance test read Infinity <= Infinity
  // and every request was admitted at once.
  if (!(interval > 0 && Number.isFinite(interval) && Number.isFinite(burst * interval))) {
    throw new RangeError(
      `${fn} expected rate / per to give a finite time per unit, got rate ${rate} per ${per} s` +
        (options.burst !== undefined ? ` with burst ${burst}` : ""),
    );
  }
  return { rate, per, burst, interval };
}

/** @internal Validates a weight against the burst. */
export function validateWeight(fn: string, weight: unknown, limits: Limits): number {
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
    throw new RangeError(
      `${fn} expected weight to be a finite number > 0, got ${describe(weight)}`,
    );
  }
  if (weight > limits.burst) {
    throw new RangeError(
      `${fn} weight ${weight} is larger than the burst ${limits.burst}: it could never be admitted`,
    );
  }
  return weight;
}

/**
 * A rate limiter (GCRA, see the module notes): `acquire(weight)` waits until `weight` units
 * fit within `rate` per `per` seconds with bursts up to `burst`, FIFO across waiters.
 * `tryAcquire` takes units only if possible right now. A cancelled waiter consumes nothing. A
 * weight larger than `burst` is a RangeError.
 *
 * @example
 * ```ts
 * import { run, gather, RateLimiter, getRunningLoop } from "asyncio-ts";
 * await run(async () => {
 *   const limiter = new RateLimiter({ rate: 5, per: 1 }); // 5 requests per second
 *   const t0 = getRunningLoop().time();
 *   await gather(Array.from({ length: 10 }, (_, i) => () =>
 *     limiter.use(async () => console.log(i, (getRunningLoop().time() - t0).toFixed(1))),
 *   )); // 0-4 at once (the burst), then one every 0.2 s
 * });
 * ```
 */
export class RateLimiter {
  /** @internal */ readonly _limits: Limits;
  /** Theoretical arrival time: when the bucket is full again. -Infinity: never used. */
  private _tat = Number.NEGATIVE_INFINITY;
  private _loop: EventLoop | null = null;
  private readonly _waiters = new WaiterQueue<void, number>(() => this._pump());
  /** Waiters admitted and charged that have not resumed yet (refunded if cancelled). */
  private _woken = 0;
  private _timer: TimerHandle | null = null;
  private _timerWhen = Number.NaN;
  private _admitted = 0;

  constructor(options: RateLimiterOptions) {
    this._limits = validateLimits("RateLimiter()", options);
  }

  /** Units per period. */
  get rate(): number {
    return this._limits.rate;
  }
  /** The period in seconds. */
  get per(): number {
    return this._limits.per;
  }
  /** The largest burst (and weight), in units. */
  get burst(): number {
    return this._limits.burst;
  }

  /**
   * Waits until `weight` units (default 1) are admitted. FIFO: waits behind earlier waiters
   * even if this request would fit now. A bad weight (not > 0, or over the burst) rejects with
   * `RangeError`; it never throws (docs/errors.md).
   */
  acquire(weight = 1): Promise<void> {
    const task = currentTaskOrUndefined();
    let loop: EventLoop;
    try {
      validateWeight("RateLimiter.acquire()", weight, this._limits);
      loop = this._bind(task);
    } catch (error) {
      return Promise.reject(error); // it returns a Promise: errors reject (docs/errors.md)
    }
    if (this._waiters.length === 0 && this._conforms(loop.time(), weight)) {
      const cancelled = takePendingCancel(task);
      if (cancelled !== null) return Promise.reject(cancelled);
      this._admit(loop.time(), weight);
      return RESOLVED_VOID;
    }
    return this._acquireSlow(weight, loop);
  }

  private async _acquireSlow(weight: number, loop: EventLoop): Promise<void> {
    const fut = new Future<void>(loop);
    fut._owner = this; // introspection shows the limiter as what the task awaits
    this._waiters.push(fut, weight);
    if (this._waiters.length === 1) this._pump();
    try {
      await fut;
    } catch (error) {
      if (wasGranted(fut)) {
        // Admitted, then cancelled before resuming: a cancelled waiter consumes nothing.
        this._woken--;
        this._refund(weight);
      }
      throw error;
    }
    this._woken--;
  }

  /** Takes `weight` units (default 1) if that is possible right now; never waits. */
  tryAcquire(weight = 1): boolean {
    validateWeight("RateLimiter.tryAcquire()", weight, this._limits);
    const loop = this._bind(currentTaskOrUndefined());
    if (this._waiters.length > 0 || !this._conforms(loop.time(), weight)) return false;
    this._admit(loop.time(), weight);
    return true;
  }

  /** Acquires `weight` units (default 1), then runs `fn` and returns its result. */
  async use<R>(fn: () => R | PromiseLike<R>, weight = 1): Promise<Awaited<R>> {
    if (typeof fn !== "function") {
      throw new TypeError(`RateLimiter.use() expected a function, got ${describe(fn)}`);
    }
    await this.acquire(weight);
    return await fn();
  }

  /** The limits, the units available now, waiting tasks and units admitted so far. */
  statistics(): RateLimiterStatistics {
    const { rate, per, burst, interval } = this._limits;
    const now = this._loop?.time() ?? 0;
    const used = Math.max(0, this._tat - now) / interval;
    return {
      rate,
      per,
      burst,
      available: Math.max(0, burst - used),
      waiters: this._waiters.length + this._woken,
      admitted: this._admitted,
    };
  }

  toString(): string {
    const s = this.statistics();
    return `<RateLimiter rate=${s.rate}/${s.per}s burst=${s.burst} available=${+s.available.toFixed(3)} waiters=${s.waiters}>`;
  }

  /**
   * @internal True if nobody waits and the bucket is full on `loop`'s clock, so it can be
   * forgotten. A bucket timed by another loop counts as full: `_bind` would reset it on its
   * next use anyway, and its times on that other clock say nothing about this one.
   */
  _isIdle(loop: EventLoop): boolean {
    if (this._waiters.length > 0 || this._woken > 0) return false;
    return this._loop !== loop || this._tat <= loop.time();
  }

  /** The loop whose clock times this limiter; rebinds (and resets) an idle limiter. */
  private _bind(task: { _loop: EventLoop } | undefined): EventLoop {
    const loop = task !== undefined ? task._loop : eventLoop();
    if (loop !== this._loop) {
      if (this._loop !== null && (this._waiters.length > 0 || this._woken > 0)) {
        throw new RuntimeError(`${this} is in use by another event loop`);
      }
      // Times of another loop's clock mean nothing here: start with a full bucket.
      this._loop = loop;
      this._tat = Number.NEGATIVE_INFINITY;
    }
    return loop;
  }

  private _conforms(now: number, weight: number): boolean {
    const { interval, burst } = this._limits;
    const newTat = Math.max(this._tat, now) + weight * interval;
    return newTat - now <= burst * interval + EPSILON * Math.max(1, Math.abs(now));
  }

  private _admit(now: number, weight: number): void {
    this._tat = Math.max(this._tat, now) + weight * this._limits.interval;
    this._admitted += weight;
  }

  private _refund(weight: number): void {
    this._tat -= weight * this._limits.interval;
    this._admitted -= weight;
    this._pump();
  }

  /** Admits every waiter at the head that conforms now; arms the timer for the next one. */
  private _pump(): void {
    const loop = this._loop!;
    const now = loop.time();
    for (let head = this._waiters.peek(); head !== null; head = this._waiters.peek()) {
      if (!this._conforms(now, head.data)) {
        const { interval, burst } = this._limits;
        const when = Math.max(this._tat, now) + (head.data - burst) * interval;
        if (this._timer === null || this._timerWhen !== when) {
          this._timer?.cancel();
          this._timerWhen = when;
          this._timer = loop._timerAt(when, pumpLimiter, this, undefined);
        }
        return;
      }
      this._waiters.shift();
      this._admit(now, head.data);
      this._woken++;
      head.future.setResult(undefined);
    }
    this._timer?.cancel();
    this._timer = null;
  }

  /** @internal The timer fired. */
  _onTimer(): void {
    this._timer = null;
    this._pump();
  }
}

function pumpLimiter(limiter: RateLimiter): void {
  limiter._onTimer();
}
