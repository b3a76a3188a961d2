/**
 * Event: a flag that tasks can wait for (asyncio.Event).
 */

import { currentTaskOrUndefined } from "./core/context.js";
import { takePendingCancel, WaiterQueue, waiterFuture } from "./core/waiter-queue.js";
import { RESOLVED_TRUE } from "./lock.js";

/** What `Event.statistics()` reports. */
export interface EventStatistics {
  /** The flag. */
  set: boolean;
  /** Tasks waiting for the flag. */
  waiters: number;
}

/**
 * A flag that starts false; `wait()` blocks until `set()` makes it true and wakes every waiter
 * at once. `clear()` makes it false again (asyncio.Event).
 *
 * @example
 * ```ts
 * import { run, createTask, Event, sleep } from "asyncio-ts";
 * await run(async () => {
 *   const ready = new Event();
 *   const waiter = createTask(async () => { await ready.wait(); console.log("go"); });
 *   await sleep(0.01);
 *   ready.set();
 *   await waiter; // prints "go"
 * });
 * ```
 */
export class Event {
  private _value = false;
  /** Invariant: empty while the flag is set (set() wakes every waiter and empties it). */
  private readonly _waiters = new WaiterQueue<true>();

  /** A new unset event. Takes no arguments, as asyncio's `Event()`. */
  constructor() {
    // JavaScript drops extra arguments silently; `new Event(5)` is almost surely a mistake.
    // biome-ignore lint/complexity/noArguments: a rest parameter would let TypeScript accept them
    const given = arguments.length;
    if (given > 0) {
      throw new TypeError(
        `Event() takes no arguments (it starts unset; call set()), got ${given} argument${given === 1 ? "" : "s"}`,
      );
    }
  }

  /** True while the flag is set. */
  isSet(): boolean {
    return this._value;
  }

  /** Sets the flag and wakes every waiting task; later `wait()` calls return at once. */
  set(): void {
    if (this._value) return;
    this._value = true;
    for (let fut = this._waiters.shift(); fut !== undefined; fut = this._waiters.shift()) {
      fut.setResult(true);
    }
  }

  /** Resets the flag; later `wait()` calls block until the next `set()`. */
  clear(): void {
    this._value = false;
  }

  /** Resolves with `true` once the flag is set (at once if it already is). */
  wait(): Promise<true> {
    const task = currentTaskOrUndefined();
    if (this._value) {
      const cancelled = takePendingCancel(task);
      return cancelled === null ? RESOLVED_TRUE : Promise.reject(cancelled);
    }
    const fut = waiterFuture<true>(task, this);
    this._waiters.push(fut);
    return fut;
  }

  /** The flag and the number of waiting tasks. */
  statistics(): EventStatistics {
    return { set: this._value, waiters: this._waiters.length };
  }

  toString(): string {
    const waiters = this._waiters.length;
    return `<Event [${this._value ? "set" : "unset"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }
}
