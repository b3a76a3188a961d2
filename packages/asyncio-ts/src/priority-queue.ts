/**
 * PriorityQueue (a binary min-heap) and LifoQueue (a stack): asyncio's Queue variants. They
 * differ from Queue only in storage; waiting, cancellation, taskDone/join and shutdown are
 * Queue's.
 */

import { describe } from "./errors.js";
import { Queue } from "./queue.js";

/** Orders two items: negative if `a` comes first, positive if `b` does, 0 if equal. */
export type Compare<T> = (a: T, b: T) => number;

/** Options of `PriorityQueue`. */
export interface PriorityQueueOptions<T> {
  /** The order of items (default `defaultCompare`: numbers, strings, arrays like Python tuples). */
  compare?: Compare<T>;
}

function rank(value: unknown): string {
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Python's `<` for the values a PriorityQueue usually holds: numbers and bigints by value,
 * strings by code unit, booleans as 0/1, and arrays element by element (the first difference
 * decides; a prefix comes first), so `[priority, data]` pairs order like Python tuples.
 * Anything else, or two values of different kinds, is a `TypeError` (as in Python): pass a
 * `compare` for those.
 *
 * @example
 * ```ts
 * import { defaultCompare } from "asyncio-ts";
 * console.log(defaultCompare([1, "b"], [1, "a"]) > 0); // true
 * ```
 */
export function defaultCompare(a: unknown, b: unknown): number {
  const ta = rank(a);
  const tb = rank(b);
  const numeric = (t: string) => t === "number" || t === "bigint" || t === "boolean";
  if (numeric(ta) && numeric(tb)) {
    const x = a as number;
    const y = b as number;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === "string" && tb === "string") {
    return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  }
  if (ta === "array" && tb === "array") {
    const x = a as unknown[];
    const y = b as unknown[];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const c = defaultCompare(x[i], y[i]);
      if (c !== 0) return c;
    }
    return x.length - y.length;
  }
  throw new TypeError(
    `PriorityQueue cannot order ${describe(a)} and ${describe(b)} by default (numbers, strings and arrays of them compare); pass { compare }`,
  );
}

/** A heap entry: the sequence number breaks ties first-in, first-out. */
interface Entry<T> {
  item: T;
  seq: number;
}

/**
 * A queue that returns the smallest item first (asyncio.PriorityQueue), typically
 * `[priority, data]` pairs. Order by `defaultCompare` or by `options.compare`; items that
 * compare equal come out in insertion order.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from "asyncio-ts";
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, "later"]);
 * q.putNowait([1, "first"]);
 * console.log(q.getNowait()); // [1, "first"]
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  private readonly _heap: Entry<T>[] = [];
  private _seq = 0;
  private readonly _compare: Compare<T>;

  constructor(maxsize = 0, options: PriorityQueueOptions<T> = {}) {
    super(maxsize);
    const compare = options?.compare ?? (defaultCompare as Compare<T>);
    if (typeof compare !== "function") {
      throw new TypeError(
        `PriorityQueue() expected options.compare to be a function, got ${describe(compare)}`,
      );
    }
    this._compare = compare;
  }

  override qsize(): number {
    return this._heap.length;
  }

  protected override _usesDeque(): boolean {
    return false;
  }

  protected override _put(item: T): void {
    const heap = this._heap;
    const entry = { item, seq: this._seq++ };
    let i = heap.length;
    heap.push(entry);
    try {
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this._less(entry, heap[parent]!)) break;
        heap[i] = heap[parent]!;
        i = parent;
      }
    } catch (error) {
      // An incomparable item: drop it and rebuild the heap (error path only), so the queue is
      // exactly as before and putNowait() throws without enqueuing.
      heap[i] = entry;
      heap.splice(heap.indexOf(entry), 1);
      for (let k = (heap.length >> 1) - 1; k >= 0; k--) this._siftDown(k);
      throw error;
    }
    heap[i] = entry;
  }

  protected override _get(): T {
    const heap = this._heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this._siftDown(0);
    }
    return top.item;
  }

  protected override _snapshot(): T[] {
    return [...this._heap].sort((a, b) => (this._less(a, b) ? -1 : 1)).map((e) => e.item);
  }

  private _less(a: Entry<T>, b: Entry<T>): boolean {
    const c = this._compare(a.item, b.item);
    return c < 0 || (c === 0 && a.seq < b.seq);
  }

  private _siftDown(i: number): void {
    const heap = this._heap;
    const n = heap.length;
    const entry = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this._less(heap[child + 1]!, heap[child]!)) child++;
      if (!this._less(heap[child]!, entry)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = entry;
  }
}

/**
 * A queue that returns the most recently added item first (asyncio.LifoQueue).
 *
 * @example
 * ```ts
 * import { LifoQueue } from "asyncio-ts";
 * const q = new LifoQueue<number>();
 * q.putNowait(1);
 * q.putNowait(2);
 * console.log(q.getNowait()); // 2
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  private readonly _stack: T[] = [];

  override qsize(): number {
    return this._stack.length;
  }

  protected override _usesDeque(): boolean {
    return false;
  }

  protected override _put(item: T): void {
    this._stack.push(item);
  }

  protected override _get(): T {
    return this._stack.pop() as T;
  }

  protected override _snapshot(): T[] {
    return [...this._stack].reverse();
  }
}
