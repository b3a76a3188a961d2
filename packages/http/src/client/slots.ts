/**
 * Connection slots: at most `limit` requests in flight in total and at most `limitPerHost` per
 * origin, like aiohttp's `TCPConnector(limit, limit_per_host)`. A request holds its slot from
 * dispatch until its body is read, released or aborted, and undici's pool for an origin is
 * capped at the same number, so "requests holding a slot" bounds "open connections in use".
 *
 * Waiters are served first come, first served: on every release the queue is scanned from the
 * oldest waiter and each one whose host has room is granted, so a waiter blocked only by its
 * own host's cap does not hold up waiters for other hosts (aiohttp does the same).
 *
 * Invariants:
 * - `active <= limit` when `limit > 0`; `perHost.get(h) <= limitPerHost` when `limitPerHost > 0`.
 * - A waiter is in the queue exactly while its state is "waiting"; it is granted at most once,
 *   and a cancelled waiter never receives a slot (cancel after grant is the caller's release).
 * @module
 */

/** A request waiting for a slot. */
export interface SlotWaiter {
  readonly host: string;
  /** Called once, synchronously inside `release()`, when the slot is granted. */
  readonly grant: () => void;
  state: "waiting" | "granted" | "cancelled";
  prev: SlotWaiter | null;
  next: SlotWaiter | null;
}

/** What {@link SlotPool.statistics} reports. */
export interface SlotStatistics {
  active: number;
  waiting: number;
  hosts: number;
}

/** The FIFO pool of connection slots shared by one session's requests. */
export class SlotPool {
  // Invariant: active is the number of granted, unreleased slots.
  private active = 0;
  // Invariant: holds only hosts with at least one active slot (memory stays bounded).
  private readonly perHost = new Map<string, number>();
  private head: SlotWaiter | null = null;
  private tail: SlotWaiter | null = null;
  private waiting = 0;

  constructor(
    readonly limit: number,
    readonly limitPerHost: number,
  ) {}

  private hasRoom(host: string): boolean {
    if (this.limit > 0 && this.active >= this.limit) return false;
    return this.limitPerHost === 0 || (this.perHost.get(host) ?? 0) < this.limitPerHost;
  }

  private take(host: string): void {
    this.active++;
    if (this.limitPerHost > 0) this.perHost.set(host, (this.perHost.get(host) ?? 0) + 1);
  }

  /**
   * Takes a slot for `host` at once and returns null when there is room; otherwise queues a
   * waiter whose `grant` is called later. Taking at once never barges past an older waiter:
   * after every dispatch each queued waiter is blocked (total full, or its host full), so if
   * `host` has room now, nobody queued could have used this slot.
   */
  acquire(host: string, grant: () => void): SlotWaiter | null {
    if (this.hasRoom(host)) {
      this.take(host);
      return null;
    }
    const waiter: SlotWaiter = { host, grant, state: "waiting", prev: this.tail, next: null };
    if (this.tail === null) this.head = waiter;
    else this.tail.next = waiter;
    this.tail = waiter;
    this.waiting++;
    return waiter;
  }

  /** Removes a waiting waiter; a no-op once it was granted or cancelled. */
  cancel(waiter: SlotWaiter): void {
    if (waiter.state !== "waiting") return;
    waiter.state = "cancelled";
    this.unlink(waiter);
  }

  /** Gives back a slot of `host` and grants it to the oldest waiter that can use it. */
  release(host: string): void {
    this.active--;
    if (this.limitPerHost > 0) {
      const n = (this.perHost.get(host) ?? 1) - 1;
      if (n === 0) this.perHost.delete(host);
      else this.perHost.set(host, n);
    }
    if (this.head !== null) this.dispatch();
  }

  private dispatch(): void {
    let w = this.head;
    while (w !== null && (this.limit === 0 || this.active < this.limit)) {
      const next = w.next;
      if (this.hasRoom(w.host)) {
        this.unlink(w);
        w.state = "granted";
        this.take(w.host);
        w.grant();
      }
      w = next;
    }
  }

  private unlink(w: SlotWaiter): void {
    if (w.prev === null) this.head = w.next;
    else w.prev.next = w.next;
    if (w.next === null) this.tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = w.next = null;
    this.waiting--;
  }

  /** Slots in use, waiters queued, and hosts with a slot in use (when `limitPerHost` is set). */
  statistics(): SlotStatistics {
    return { active: this.active, waiting: this.waiting, hosts: this.perHost.size };
  }
}
