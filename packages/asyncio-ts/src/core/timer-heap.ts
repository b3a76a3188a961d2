/**
 * The timers of a loop, ordered by (deadline, sequence number): mechanism 3 of ARCHITECTURE.md.
 * Every sleep, callLater and deadline of a loop lives here, driven by one native timer.
 *
 * Two structures share the work:
 * - a FIFO "lane" for timers that arrive in deadline order. The common case (many sleeps or
 *   timeouts with the same delay) is exactly that, so push and pop are O(1) there; Node's own
 *   timers keep one list per duration for the same reason.
 * - a binary min-heap for the timers that arrive out of order.
 * The earliest timer is the smaller of the two fronts.
 *
 * Cancelled timers are removed lazily (asyncio's base_events does the same): they stay where they
 * are, counted in `cancelledCount`, until they reach a front or until they are more than half of
 * all entries, when both structures are rebuilt. Cancel is O(1) and memory stays bounded.
 */
import { Deque } from "./deque.js";
import type { TimerHandle } from "./handle.js";

function before(a: TimerHandle, b: TimerHandle): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

export class TimerHeap {
  /** Invariant: deadlines (and sequence numbers) are nondecreasing from front to back. */
  private lane = new Deque<TimerHandle>();
  private heap: TimerHandle[] = [];
  /** Invariant: the number of entries (lane and heap) whose handle is cancelled. */
  cancelledCount = 0;

  get size(): number {
    return this.lane.length + this.heap.length;
  }

  push(timer: TimerHandle): void {
    const last = this.lane.peekLast();
    // Sequence numbers only grow, so a timer with a deadline >= the lane's last one sorts after it.
    if (last === undefined || timer._when >= last._when) this.lane.push(timer);
    else this.heapPush(timer);
  }

  /** The earliest live timer, dropping cancelled ones from the fronts. */
  peek(): TimerHandle | undefined {
    while (this.lane.length > 0 && this.lane.peek()!._cancelled) {
      this.lane.shift();
      this.cancelledCount--;
    }
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!._cancelled) {
      this.heapPopTop();
      this.cancelledCount--;
    }
    const fromLane = this.lane.peek();
    const fromHeap = heap[0];
    if (fromLane === undefined) return fromHeap;
    if (fromHeap === undefined) return fromLane;
    return before(fromHeap, fromLane) ? fromHeap : fromLane;
  }

  /** Removes and returns the earliest live timer. */
  pop(): TimerHandle | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    if (top === this.lane.peek()) this.lane.shift();
    else this.heapPopTop();
    return top;
  }

  /** Called when a timer still held here is cancelled; compacts when most entries are dead. */
  noteCancelled(): void {
    this.cancelledCount++;
    if (this.cancelledCount > 64 && this.cancelledCount * 2 > this.size) this.rebuild();
  }

  clear(): void {
    this.lane.clear();
    this.heap = [];
    this.cancelledCount = 0;
  }

  private heapPush(timer: TimerHandle): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = timer;
  }

  private heapPopTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }

  private rebuild(): void {
    const live = new Deque<TimerHandle>(this.lane.length);
    for (const timer of this.lane) if (!timer._cancelled) live.push(timer);
    this.lane = live;
    // A sorted array is a valid heap.
    this.heap = this.heap
      .filter((timer) => !timer._cancelled)
      .sort((a, b) => (before(a, b) ? -1 : 1));
    this.cancelledCount = 0;
  }
}
