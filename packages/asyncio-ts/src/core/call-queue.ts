/**
 * The loop's ready queue: a FIFO of (function, argument, argument) triples on one growable ring
 * buffer. Internal scheduling (task starts, done callbacks, wake-ups) pushes triples here without
 * allocating a Handle object per call; public `callSoon` pushes its Handle as the argument of a
 * small trampoline.
 *
 * Invariant: entry i (0 <= i < length) occupies slots 3*((head+i) & mask) .. +2.
 */
export type Call = (a: any, b: any) => void;

export class CallQueue {
  private slots: unknown[] = new Array(3 * 64);
  private mask = 63;
  private head = 0;
  length = 0;

  push(fn: Call, a: unknown, b: unknown): void {
    if (this.length === this.mask + 1) this.grow();
    const at = 3 * ((this.head + this.length) & this.mask);
    this.slots[at] = fn;
    this.slots[at + 1] = a;
    this.slots[at + 2] = b;
    this.length++;
  }

  /** Runs the oldest entry, removing it first (so a throwing entry is not run twice). */
  runOne(): void {
    const slots = this.slots;
    const at = 3 * this.head;
    const fn = slots[at] as Call;
    const a = slots[at + 1];
    const b = slots[at + 2];
    slots[at] = slots[at + 1] = slots[at + 2] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    fn(a, b);
  }

  /** The first argument of the oldest entry (debug mode uses it to name what runs). */
  peekFirstArgument(): unknown {
    return this.slots[3 * this.head + 1];
  }

  clear(): void {
    this.slots = new Array(3 * 64);
    this.mask = 63;
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const capacity = this.mask + 1;
    const bigger = new Array(6 * capacity);
    for (let i = 0; i < this.length; i++) {
      const from = 3 * ((this.head + i) & this.mask);
      bigger[3 * i] = this.slots[from];
      bigger[3 * i + 1] = this.slots[from + 1];
      bigger[3 * i + 2] = this.slots[from + 2];
    }
    this.slots = bigger;
    this.mask = 2 * capacity - 1;
    this.head = 0;
  }
}
