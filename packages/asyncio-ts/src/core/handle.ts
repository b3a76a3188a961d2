/**
 * Scheduled callbacks: what `callSoon` returns (Handle) and what `callLater`/`callAt` return
 * (TimerHandle). The loop's ready queue and timer heap hold these objects directly.
 */

/** A callback scheduled on a loop; `cancel()` stops it if it has not run yet. */
export class Handle {
  /** @internal */ _callback: ((...args: any[]) => void) | null;
  /** @internal Arguments of a public handle; null for kernel handles, which use `_a`, `_b`. */
  _args: unknown[] | null;
  /** @internal */ _a: unknown = undefined;
  /** @internal */ _b: unknown = undefined;
  /** @internal */ _cancelled = false;

  /** @internal */
  constructor(callback: (...args: any[]) => void, args: unknown[] | null) {
    this._callback = callback;
    this._args = args;
  }

  /** Prevents the callback from running; does nothing if it already ran. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      this._callback = null; // drop references early, as asyncio does
      this._args = null;
      this._a = this._b = undefined;
    }
  }

  /** True once `cancel()` was called. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** @internal Runs the callback; the loop catches what it throws. */
  _run(): void {
    const callback = this._callback;
    if (callback === null) return;
    if (this._args === null) callback(this._a, this._b);
    else callback(...this._args);
  }

  toString(): string {
    const name = this._callback?.name || "callback";
    return `<${this.constructor.name} ${this._cancelled ? "cancelled" : name}>`;
  }
}

/** A callback scheduled for a moment of the loop's clock. */
export class TimerHandle extends Handle {
  /** @internal Deadline in loop seconds. */ readonly _when: number;
  /** @internal Tie-breaker: timers with equal deadlines run in scheduling order. */
  readonly _seq: number;
  /** @internal Called on cancel so the heap can count dead entries. */
  _onCancel: ((handle: TimerHandle) => void) | null = null;

  /** @internal */
  constructor(
    when: number,
    seq: number,
    callback: (...args: any[]) => void,
    args: unknown[] | null,
  ) {
    super(callback, args);
    this._when = when;
    this._seq = seq;
  }

  /** The loop time (seconds) at which the callback is scheduled. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) {
      super.cancel();
      const onCancel = this._onCancel;
      this._onCancel = null;
      if (onCancel !== null) onCancel(this);
    }
  }
}
