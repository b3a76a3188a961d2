/**
 * A binary min-heap of timers ordered by (deadline, sequence number), mechanism 3 of
 * ARCHITECTURE.md: every sleep, callLater and deadline of a loop lives here, driven by one native
 * timer. Cancelled timers are removed lazily: they stay in the heap, counted in `cancelledCount`,
 * until they reach the top or until they are more than half the heap (then the heap is rebuilt),
 * which keeps cancel O(1) and memory bounded. This is what asyncio's base_events does.
 */
import type { TimerHandle } from "./handle.js";

function before(a: TimerHandle, b: TimerHandle): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

export class TimerHeap {
  private items: TimerHandle[] = [];
  /** Invariant: the number of entries in `items` whose handle is cancelled. */
  cancelledCount = 0;

  get size(): number {
    return this.items.length;
  }

  push(timer: TimerHandle): void {
    const items = this.items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = timer;
  }

  /** The earliest live timer, dropping cancelled ones from the top. */
  peek(): TimerHandle | undefined {
    const items = this.items;
    while (items.length > 0 && items[0]!._cancelled) {
      this.popTop();
      this.cancelledCount--;
    }
    return items[0];
  }

  /** Removes and returns the earliest live timer. */
  pop(): TimerHandle | undefined {
    const top = this.peek();
    if (top !== undefined) this.popTop();
    return top;
  }

  /** Called when a timer in the heap is cancelled; compacts when most entries are dead. */
  noteCancelled(): void {
    this.cancelledCount++;
    if (this.cancelledCount > 64 && this.cancelledCount * 2 > this.items.length) this.rebuild();
  }

  clear(): void {
    this.items = [];
    this.cancelledCount = 0;
  }

  private popTop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (items.length === 0) return;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
  }

  private rebuild(): void {
    const live = this.items.filter((timer) => !timer._cancelled);
    this.items = [];
    this.cancelledCount = 0;
    live.sort((a, b) => (before(a, b) ? -1 : 1));
    // A sorted array is a valid heap.
    this.items = live;
  }
}
