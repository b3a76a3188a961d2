/**
 * KeyedRateLimiter: one GCRA bucket per key (per host, per user), with bounded memory.
 *
 * A bucket whose theoretical arrival time is in the past and that nobody waits on is full,
 * hence indistinguishable from a bucket never used: it can be dropped without changing any
 * admission. Buckets are swept after as many calls as the map held after the last sweep (at
 * least MIN_SWEEP_GROWTH): each sweep is paid for by the calls before it, so amortized O(1) per
 * call, and the map never grows past twice its size after a sweep. Counting calls, not new
 * keys, also drops a burst of keys that went idle while only old keys are used. So the map
 * holds at most about twice the keys active within the last `burst * per / rate` seconds (plus
 * keys with waiters) as soon as the limiter is used again.
 */

import { eventLoop } from "./core/context.js";
import { describe } from "./errors.js";
import {
  type Limits,
  RateLimiter,
  type RateLimiterOptions,
  type RateLimiterStatistics,
  validateLimits,
  validateWeight,
} from "./rate-limiter.js";

/** A bucket key: any value but undefined (a forgotten argument would share one bucket). */
function checkKey(fn: string, key: unknown): void {
  if (key === undefined) {
    throw new TypeError(`${fn} expected a key (a host name, a user id...), got undefined`);
  }
}

/** What `KeyedRateLimiter.statistics()` reports. */
export interface KeyedRateLimiterStatistics {
  rate: number;
  per: number;
  burst: number;
  /** Buckets currently kept (keys used recently or with waiters). */
  keys: number;
  /** Tasks waiting, over all keys. */
  waiters: number;
}

/** The fewest calls between two sweeps (so a small map is not swept on every call). */
const MIN_SWEEP_GROWTH = 64;

/**
 * A rate limiter per key (see `RateLimiter`): each key gets its own bucket with the same
 * `rate`, `per` and `burst`; waiters on one key are FIFO and never delay another key. Idle
 * buckets are dropped, so memory stays bounded by the keys in recent use.
 *
 * @example
 * ```ts
 * import { run, KeyedRateLimiter } from "asyncio-ts";
 * await run(async () => {
 *   const perHost = new KeyedRateLimiter<string>({ rate: 2, per: 1, burst: 1 });
 *   await perHost.acquire("a.example"); // at once
 *   await perHost.acquire("b.example"); // at once: another key
 *   await perHost.acquire("a.example"); // 0.5 s later
 * });
 * ```
 */
export class KeyedRateLimiter<K = string> {
  private readonly _options: RateLimiterOptions;
  private readonly _limits: Limits;
  private readonly _buckets = new Map<K, RateLimiter>();
  /** Map size after the last sweep: the next sweep is due after that many calls. */
  private _sizeAfterSweep = 0;
  private _callsSinceSweep = 0;

  constructor(options: RateLimiterOptions) {
    this._limits = validateLimits("KeyedRateLimiter()", options);
    this._options = { rate: this._limits.rate, per: this._limits.per, burst: this._limits.burst };
  }

  /**
   * Waits until `weight` units (default 1) are admitted for `key`. A missing key or a bad weight
   * rejects (`TypeError`, `RangeError`); it never throws (docs/errors.md).
   */
  acquire(key: K, weight = 1): Promise<void> {
    try {
      checkKey("KeyedRateLimiter.acquire()", key);
      validateWeight("KeyedRateLimiter.acquire()", weight, this._limits);
    } catch (error) {
      return Promise.reject(error); // it returns a Promise: errors reject (docs/errors.md)
    }
    return this._bucket(key).acquire(weight);
  }

  /** Takes `weight` units (default 1) for `key` if possible right now; never waits. */
  tryAcquire(key: K, weight = 1): boolean {
    checkKey("KeyedRateLimiter.tryAcquire()", key);
    validateWeight("KeyedRateLimiter.tryAcquire()", weight, this._limits);
    return this._bucket(key).tryAcquire(weight);
  }

  /** Acquires `weight` units (default 1) for `key`, then runs `fn` and returns its result. */
  async use<R>(key: K, fn: () => R | PromiseLike<R>, weight = 1): Promise<Awaited<R>> {
    if (typeof fn !== "function") {
      throw new TypeError(`KeyedRateLimiter.use() expected a function, got ${describe(fn)}`);
    }
    await this.acquire(key, weight);
    return await fn();
  }

  /** The bucket statistics of `key` (a full bucket if the key is not tracked). */
  statisticsFor(key: K): RateLimiterStatistics {
    return (this._buckets.get(key) ?? new RateLimiter(this._options)).statistics();
  }

  /** The limits, buckets kept and tasks waiting over all keys. */
  statistics(): KeyedRateLimiterStatistics {
    let waiters = 0;
    for (const bucket of this._buckets.values()) waiters += bucket.statistics().waiters;
    const { rate, per, burst } = this._limits;
    return { rate, per, burst, keys: this._buckets.size, waiters };
  }

  toString(): string {
    const { rate, per, burst } = this._limits;
    return `<KeyedRateLimiter rate=${rate}/${per}s burst=${burst} keys=${this._buckets.size}>`;
  }

  private _bucket(key: K): RateLimiter {
    if (++this._callsSinceSweep >= Math.max(MIN_SWEEP_GROWTH, this._sizeAfterSweep)) {
      this._sweep();
    }
    let bucket = this._buckets.get(key);
    if (bucket === undefined) {
      bucket = new RateLimiter(this._options);
      this._buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Drops every idle bucket (full and unwaited: equivalent to a fresh one). */
  private _sweep(): void {
    const loop = eventLoop();
    for (const [key, bucket] of this._buckets) {
      if (bucket._isIdle(loop)) this._buckets.delete(key);
    }
    this._sizeAfterSweep = this._buckets.size;
    this._callsSinceSweep = 0;
  }
}
