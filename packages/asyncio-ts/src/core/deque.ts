/**
 * A FIFO queue on a growable ring buffer: O(1) push, shift and peek at both ends, no
 * `Array.prototype.shift` (which is O(n) once V8 leaves its fast path).
 *
 * Invariant: `length` items live at `buffer[(head + i) & mask]` for i in [0, length);
 * the capacity `buffer.length` is a power of two.
 */
export class Deque<T> {
  private buffer: (T | undefined)[];
  private mask: number;
  private head = 0;
  length = 0;

  constructor(initialCapacity = 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.buffer = new Array(capacity);
    this.mask = capacity - 1;
  }

  push(item: T): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[(this.head + this.length) & this.mask] = item;
    this.length++;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.buffer[this.head];
    this.buffer[this.head] = undefined; // let the item be collected
    this.head = (this.head + 1) & this.mask;
    this.length--;
    return item;
  }

  peek(): T | undefined {
    return this.length === 0 ? undefined : this.buffer[this.head];
  }

  peekLast(): T | undefined {
    return this.length === 0 ? undefined : this.buffer[(this.head + this.length - 1) & this.mask];
  }

  clear(): void {
    this.buffer = new Array(16);
    this.mask = 15;
    this.head = 0;
    this.length = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.buffer[(this.head + i) & this.mask] as T;
  }

  private grow(): void {
    const old = this.buffer;
    const bigger = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.length; i++) bigger[i] = old[(this.head + i) & this.mask];
    this.buffer = bigger;
    this.mask = bigger.length - 1;
    this.head = 0;
  }
}
