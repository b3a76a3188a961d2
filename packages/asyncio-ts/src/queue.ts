/**
 * Queue: a FIFO queue between producer and consumer tasks (asyncio.Queue, CPython 3.13).
 *
 * Design notes (queues.py; gh-96471 for shutdown)
 * - An item put while getters wait wakes the first getter; the item stays in the queue until
 *   that getter runs and takes it. A getter cancelled before it ran leaves the item there and
 *   wakes the next getter, so no item is lost. Symmetrically a putter enqueues only when it
 *   runs, so a putter cancelled before it ran enqueues nothing and passes its slot on.
 * - No barging by `await get()`/`await put()`: items (slots) promised to woken getters
 *   (putters) are reserved, so a newcomer waits behind them. The non-blocking `getNowait()` and
 *   `putNowait()` keep asyncio's meaning (take or add if possible right now); a woken waiter
 *   that finds its item taken by them waits again at the front of the line.
 * - `shutdown(immediate)`: puts fail with QueueShutDown at once; gets drain what is left
 *   (immediate: nothing is left, and `join()` is released), then fail with QueueShutDown.
 */

import { RESOLVED_VOID } from "./core/bare-promise.js";
import { currentTaskOrUndefined } from "./core/context.js";
import { Deque } from "./core/deque.js";
import type { Task } from "./core/task.js";
import { takePendingCancel, WaiterQueue, waiterFuture, wasGranted } from "./core/waiter-queue.js";
import { describe, QueueEmpty, QueueFull, QueueShutDown } from "./errors.js";
import { Event } from "./event.js";

/** What `Queue.statistics()` reports. */
export interface QueueStatistics {
  /** Items in the queue. */
  size: number;
  /** The bound (0: unbounded). */
  maxsize: number;
  /** Tasks waiting in `get()` / `put()`. */
  getters: number;
  putters: number;
  /** Items put and not yet marked done with `taskDone()`. */
  unfinishedTasks: number;
  shutdown: boolean;
}

/** @internal Validates the maxsize of every queue class. */
export function validateMaxsize(cls: string, maxsize: unknown): number {
  if (typeof maxsize !== "number" || Number.isNaN(maxsize)) {
    throw new TypeError(
      `${cls}() expected maxsize as a number (0 for unbounded), got ${describe(maxsize)}`,
    );
  }
  return maxsize;
}

/**
 * A first-in, first-out queue (asyncio.Queue). With `maxsize > 0`, `put()` waits while the
 * queue is full; `get()` waits while it is empty. Waiters are served in FIFO order; cancelling
 * a waiting task never loses or duplicates an item. `taskDone()`/`join()` track completion;
 * `shutdown()` ends it, and `for await (const item of queue)` reads until it is shut down.
 *
 * @example
 * ```ts
 * import { run, createTask, Queue } from "asyncio-ts";
 * await run(async () => {
 *   const queue = new Queue<number>(10);
 *   const consumer = createTask(async () => {
 *     let total = 0;
 *     for await (const n of queue) total += n; // until shutdown
 *     return total;
 *   });
 *   for (let i = 1; i <= 5; i++) await queue.put(i);
 *   queue.shutdown();
 *   console.log(await consumer); // 15
 * });
 * ```
 */
export class Queue<T> implements AsyncIterable<T> {
  private readonly _maxsize: number;
  private readonly _getters = new WaiterQueue<void>();
  private readonly _putters = new WaiterQueue<void>();
  /** Getters/putters woken and not yet run: each has an item/slot reserved. */
  private _wokenGetters = 0;
  private _wokenPutters = 0;
  private _unfinishedTasks = 0;
  /** Invariant: set exactly when `_unfinishedTasks === 0`. */
  private readonly _finished = new Event();
  private _isShutdown = false;
  private _items: Deque<T> | null;

  constructor(maxsize = 0) {
    this._maxsize = validateMaxsize(new.target.name, maxsize);
    this._finished.set();
    this._items = this._usesDeque() ? new Deque<T>() : null;
  }

  // ---- storage; PriorityQueue and LifoQueue override these ----------------------------

  /** @internal False in subclasses with their own storage. */
  protected _usesDeque(): boolean {
    return true;
  }
  /** @internal */
  protected _put(item: T): void {
    this._items!.push(item);
  }
  /** @internal Precondition: not empty. */
  protected _get(): T {
    return this._items!.shift() as T;
  }
  /** @internal The items in the order `get()` would return them (for toString). */
  protected _snapshot(): T[] {
    return [...this._items!];
  }

  /** The number of items in the queue. */
  qsize(): number {
    return this._items!.length;
  }

  // ---- the asyncio API ------------------------------------------------------------------

  /** The bound given to the constructor (0 or less: unbounded). */
  get maxsize(): number {
    return this._maxsize;
  }

  /** True if the queue holds no item. */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /** True if the queue holds `maxsize` items (never for an unbounded queue). */
  full(): boolean {
    return this._maxsize > 0 && this.qsize() >= this._maxsize;
  }

  /**
   * Puts `item` at the end, waiting while the queue is full. Rejects with `QueueShutDown` if the
   * queue is (or gets) shut down, and with what a PriorityQueue's compare throws; it never
   * throws at the call (docs/errors.md). A put that rejects with CancelledError did not enqueue.
   */
  put(item: T): Promise<void> {
    if (this._isShutdown) return Promise.reject(this._shutDownError("put"));
    if (
      this._putters.length === 0 &&
      (this._maxsize <= 0 || this.qsize() + this._wokenPutters < this._maxsize)
    ) {
      const cancelled = takePendingCancel(currentTaskOrUndefined());
      if (cancelled !== null) return Promise.reject(cancelled);
      try {
        this.putNowait(item);
      } catch (error) {
        // A PriorityQueue's compare can throw (items it cannot order): put() rejects, never
        // throws (docs/errors.md). A try costs nothing on the path that does not throw.
        return Promise.reject(error);
      }
      return RESOLVED_VOID;
    }
    return this._putSlow(item, currentTaskOrUndefined());
  }

  private async _putSlow(item: T, task: Task<unknown> | undefined): Promise<void> {
    let retry = false;
    for (;;) {
      if (this._isShutdown) throw this._shutDownError("put");
      const putter = waiterFuture<void>(task, this);
      // A woken putter whose slot was taken by putNowait() keeps its turn.
      if (retry) this._putters.pushFront(putter);
      else this._putters.push(putter);
      try {
        await putter;
      } catch (error) {
        if (wasGranted(putter)) {
          // Woken and then cancelled before running: pass the slot on.
          this._wokenPutters--;
          if (!this.full()) this._wakeUpNextPutter();
        }
        throw error;
      }
      this._wokenPutters--;
      if (!this.full()) {
        this.putNowait(item); // throws QueueShutDown after a shutdown
        return;
      }
      retry = true;
    }
  }

  /** Puts `item` without waiting; throws `QueueFull` if full, `QueueShutDown` if shut down. */
  putNowait(item: T): void {
    if (this._isShutdown) throw this._shutDownError("putNowait");
    if (this.full()) throw new QueueFull(`putNowait() on a full queue: ${this}`);
    this._put(item);
    if (this._unfinishedTasks++ === 0) this._finished.clear();
    const getter = this._getters.shift();
    if (getter !== undefined) {
      this._wokenGetters++;
      getter.setResult(undefined);
    }
  }

  /**
   * Removes and returns the first item, waiting while the queue is empty. Throws
   * `QueueShutDown` once the queue is shut down and empty. A get that throws CancelledError
   * took nothing.
   */
  get(): Promise<T> {
    if (this._getters.length === 0 && this.qsize() > this._wokenGetters) {
      const cancelled = takePendingCancel(currentTaskOrUndefined());
      if (cancelled !== null) return Promise.reject(cancelled);
      return Promise.resolve(this.getNowait());
    }
    if (this._isShutdown && this.qsize() === 0) {
      return Promise.reject(this._shutDownError("get"));
    }
    return this._getSlow(currentTaskOrUndefined());
  }

  private async _getSlow(task: Task<unknown> | undefined): Promise<T> {
    let retry = false;
    for (;;) {
      if (this._isShutdown && this.qsize() === 0) throw this._shutDownError("get");
      const getter = waiterFuture<void>(task, this);
      if (retry) this._getters.pushFront(getter);
      else this._getters.push(getter);
      try {
        await getter;
      } catch (error) {
        if (wasGranted(getter)) {
          // Woken and then cancelled before running: leave the item for the next getter.
          this._wokenGetters--;
          if (this.qsize() > this._wokenGetters) this._wakeUpNextGetter();
        }
        throw error;
      }
      this._wokenGetters--;
      if (this.qsize() > 0) return this.getNowait();
      retry = true;
    }
  }

  /** Removes and returns the first item without waiting; `QueueEmpty` if there is none. */
  getNowait(): T {
    if (this.qsize() === 0) {
      if (this._isShutdown) throw this._shutDownError("getNowait");
      throw new QueueEmpty(`getNowait() on an empty queue: ${this}`);
    }
    const item = this._get();
    this._wakeUpNextPutter();
    return item;
  }

  /**
   * Marks one item taken with `get()` as processed. Throws `RangeError` if called more times
   * than items were put.
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) {
      throw new RangeError(
        `taskDone() called too many times: every item put into ${this} is already marked done`,
      );
    }
    if (--this._unfinishedTasks === 0) this._finished.set();
  }

  /** Waits until every item put has been marked done with `taskDone()`. */
  async join(): Promise<void> {
    if (this._unfinishedTasks > 0) await this._finished.wait();
  }

  /**
   * Shuts the queue down: `put()` throws `QueueShutDown` from now on, waiting putters too.
   * `get()` returns the remaining items, then throws `QueueShutDown`. With `immediate`, the
   * remaining items are dropped (each counted as done, so `join()` returns) and waiting getters
   * throw at once.
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (immediate) {
      while (this.qsize() > 0) {
        this._get();
        if (this._unfinishedTasks > 0) this._unfinishedTasks--;
      }
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    // Every waiter re-checks the state and throws QueueShutDown (or takes a remaining item).
    while (this._wakeUpNextGetter()) {}
    while (this._wakeUpNextPutter()) {}
  }

  /** True once `shutdown()` was called. */
  get isShutdown(): boolean {
    return this._isShutdown;
  }

  /**
   * Reads items with `get()` until the queue is shut down (and drained). Call `taskDone()` in
   * the loop body if you `join()` the queue.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const onError = (error: unknown): IteratorResult<T> => {
      if (error instanceof QueueShutDown) return { done: true, value: undefined };
      throw error;
    };
    return {
      next: () => this.get().then((value): IteratorResult<T> => ({ done: false, value }), onError),
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
  }

  /** Size, bound, waiters, unfinished tasks, shutdown flag. */
  statistics(): QueueStatistics {
    return {
      size: this.qsize(),
      maxsize: this._maxsize,
      getters: this._getters.length + this._wokenGetters,
      putters: this._putters.length + this._wokenPutters,
      unfinishedTasks: this._unfinishedTasks,
      shutdown: this._isShutdown,
    };
  }

  toString(): string {
    let text = `<${this.constructor.name} maxsize=${this._maxsize}`;
    const size = this.qsize();
    if (size > 0) {
      const shown = size <= 10 ? this._snapshot().map(short).join(", ") : `${size} items`;
      text += ` items=[${shown}]`;
    }
    const getters = this._getters.length + this._wokenGetters;
    const putters = this._putters.length + this._wokenPutters;
    if (getters > 0) text += ` getters[${getters}]`;
    if (putters > 0) text += ` putters[${putters}]`;
    if (this._unfinishedTasks > 0) text += ` tasks=${this._unfinishedTasks}`;
    if (this._isShutdown) text += " shutdown";
    return `${text}>`;
  }

  private _wakeUpNextGetter(): boolean {
    const getter = this._getters.shift();
    if (getter === undefined) return false;
    this._wokenGetters++;
    getter.setResult(undefined);
    return true;
  }

  private _wakeUpNextPutter(): boolean {
    const putter = this._putters.shift();
    if (putter === undefined) return false;
    this._wokenPutters++;
    putter.setResult(undefined);
    return true;
  }

  private _shutDownError(method: string): QueueShutDown {
    return new QueueShutDown(`${method}() on a queue that was shut down: ${this}`);
  }
}

function short(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 30 ? `${text.slice(0, 27)}...` : text;
}
