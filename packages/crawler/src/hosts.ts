/**
 * Per-host politeness state and the fair round-robin that picks which host goes next.
 *
 * The crawl has ONE dispatcher, and only it calls {@link HostRing.pick} and mutates `inFlight`
 * and `nextAt` at dispatch time, so no locking is needed: between two awaits the dispatcher's
 * view is exact.
 */
import type { RobotsRules } from "./robots.js";

/** Politeness state of one host (`host[:port]`). Times are monotonic seconds. */
export interface HostState {
  host: string;
  /** `scheme://host[:port]`, where robots.txt lives. */
  origin: string;
  /** Requests in flight now. Invariant: `0 <= inFlight <= perHost`. */
  inFlight: number;
  /** Earliest start of the next request (pacing, Crawl-delay, Retry-After, backoff). */
  nextAt: number;
  /** robots.txt rules once loaded; `undefined` before. */
  robots: RobotsRules | undefined;
  /** A robots.txt fetch is in flight; the host waits for it. */
  robotsLoading: boolean;
  /** Start of the latest request (monotonic seconds; -Infinity before the first). */
  lastStart: number;
  /** Requests started (robots.txt included), for the summary. */
  requests: number;
  /**
   * Seconds between request starts asked by robots.txt `Crawl-delay` (0 when none). At most
   * `--max-crawl-delay`: a host asking for more is skipped, not paced (`capCrawlDelay`).
   */
  interval: number;
}

/** What the dispatcher should do next for one host. */
export type Pick =
  | { kind: "robots"; host: HostState }
  | { kind: "url"; host: HostState }
  | { kind: "wait"; until: number }
  | { kind: "idle" };

/**
 * The hosts that have queued URLs, visited in rotation so that one busy host cannot starve
 * the others: each pick resumes scanning after the host picked last time.
 *
 * @example
 * ```ts
 * const ring = new HostRing(4, 0);
 * ring.add("a.example", "https://a.example");
 * const pick = ring.pick(performance.now() / 1000, (h) => hasQueued(h));
 * ```
 */
export class HostRing {
  readonly #perHost: number;
  readonly #rateInterval: number;
  readonly #admit: ((host: string) => boolean) | undefined;
  // Every host seen in this crawl (bounded by the number of distinct hosts crawled).
  readonly #hosts = new Map<string, HostState>();
  // Hosts that may have queued URLs, in rotation order. Invariant: no duplicates.
  #ring: string[] = [];
  readonly #inRing = new Set<string>();
  #cursor = 0;

  /**
   * `rate` is `--rate` (requests per second per host, 0 = unlimited) and `admit(host)` the
   * rate limiter that enforces it (a `KeyedRateLimiter.tryAcquire`): a host that is otherwise
   * ready starts a request only when `admit` grants it; `rate` only tells when to ask again.
   */
  constructor(perHost: number, rate: number, admit?: (host: string) => boolean) {
    this.#perHost = perHost;
    this.#rateInterval = rate > 0 ? 1 / rate : 0;
    this.#admit = rate > 0 ? admit : undefined;
  }

  /** The state of `host`, created on first sight. */
  state(host: string, origin: string): HostState {
    let s = this.#hosts.get(host);
    if (s === undefined) {
      s = {
        host,
        origin,
        inFlight: 0,
        nextAt: 0,
        robots: undefined,
        robotsLoading: false,
        lastStart: Number.NEGATIVE_INFINITY,
        requests: 0,
        interval: 0,
      };
      this.#hosts.set(host, s);
    }
    return s;
  }

  /** Every host seen, for progress and the summary. */
  all(): IterableIterator<HostState> {
    return this.#hosts.values();
  }

  /** Marks `host` as having queued URLs (no-op when already in the ring). */
  add(host: string, origin: string): void {
    this.state(host, origin);
    if (this.#inRing.has(host)) return;
    this.#inRing.add(host);
    this.#ring.push(host);
  }

  /** Hosts currently in rotation. */
  get size(): number {
    return this.#ring.length;
  }

  /**
   * Applies robots.txt rules: `Crawl-delay` widens the host's interval, counted from the
   * robots.txt request itself (it is a request to the host like any other).
   */
  setRobots(state: HostState, rules: RobotsRules): void {
    state.robots = rules;
    state.robotsLoading = false;
    state.interval = rules.crawlDelay;
    state.nextAt = Math.max(state.nextAt, state.lastStart + state.interval);
  }

  /** Records a request start: one more in flight, and the next start paced by the interval. */
  started(state: HostState, now: number): void {
    state.inFlight++;
    state.requests++;
    state.lastStart = now;
    state.nextAt = Math.max(state.nextAt, now + state.interval);
  }

  /** Records a request end. */
  finished(state: HostState): void {
    state.inFlight--;
  }

  /** Pushes the host's next start to at least `now + delay` (Retry-After, backoff). */
  backoff(state: HostState, now: number, delay: number): void {
    state.nextAt = Math.max(state.nextAt, now + delay);
  }

  /**
   * Picks the next host that may start a request now, in rotation.
   * `due(host)` reports whether the host has a queued URL due now: `"yes"`, `"later"` (with
   * the monotonic time it becomes due) or `"none"` (the host leaves the ring).
   * Returns `wait` with the earliest time a paced host becomes ready, or `idle` when no host
   * can start and none is waiting on time (only in-flight requests can add work).
   */
  pick(now: number, due: (host: string) => "yes" | "none" | number): Pick {
    let earliest = Number.POSITIVE_INFINITY;
    for (let remaining = this.#ring.length; remaining > 0; remaining--) {
      if (this.#cursor >= this.#ring.length) this.#cursor = 0;
      const name = this.#ring[this.#cursor]!;
      const state = this.#hosts.get(name)!;
      if (state.robotsLoading || state.inFlight >= this.#perHost) {
        this.#cursor++;
        continue;
      }
      if (state.nextAt > now) {
        earliest = Math.min(earliest, state.nextAt);
        this.#cursor++;
        continue;
      }
      const d = due(name);
      if (d === "none") {
        // Leaves the ring; the cursor now points at the next host already.
        this.#ring.splice(this.#cursor, 1);
        this.#inRing.delete(name);
        continue;
      }
      this.#cursor++;
      if (typeof d === "number") {
        earliest = Math.min(earliest, d);
        continue;
      }
      if (this.#admit !== undefined && !this.#admit(name)) {
        // The limiter's bucket refills one request after the last start; ask again then.
        state.nextAt = Math.max(now + 0.001, state.lastStart + this.#rateInterval);
        earliest = Math.min(earliest, state.nextAt);
        continue;
      }
      return { kind: state.robots === undefined ? "robots" : "url", host: state };
    }
    return earliest === Number.POSITIVE_INFINITY
      ? { kind: "idle" }
      : { kind: "wait", until: earliest };
  }
}
