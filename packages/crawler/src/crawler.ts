/**
 * The crawl engine: one TaskGroup per crawl, one dispatcher, one task per request.
 *
 * Design note.
 * - The frontier lives in SQLite ({@link CrawlStore}); memory holds only per-host state and the
 *   requests in flight, so a crawl of millions of URLs uses the same memory as one of ten.
 * - The dispatcher is the body of the TaskGroup. It alone starts requests, so it can enforce
 *   `--concurrency`, `--per-host`, pacing (`--rate` through a KeyedRateLimiter, robots.txt Crawl-delay, Retry-After,
 *   backoff) and round-robin fairness with plain counters ({@link HostRing}).
 * - When nothing can start, the dispatcher sleeps on a wake-up future that a finishing
 *   request (or `stop()`) resolves, bounded by the time the next paced host becomes ready.
 * - `stop()` (first Ctrl-C) ends the dispatcher loop; the TaskGroup then waits for the requests
 *   in flight, which store their pages: a drain, not a cancellation.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { Future, KeyedRateLimiter, taskGroup, wait } from "asyncio-ts";
import { DEFAULT_MAX_CRAWL_DELAY, type Limits } from "./args.js";
import { FetchError, type FetchedPage, HttpFetcher } from "./fetcher.js";
import { HostRing, type HostState } from "./hosts.js";
import { ALLOW_ALL, capCrawlDelay, loadRobots, type RobotsRules } from "./robots.js";
import {
  CrawlStore,
  type FrontierEntry,
  type LinkRecord,
  type NewUrl,
  type PageRecord,
  type StoreCounts,
} from "./store.js";
import { hostKey, normalizeUrl, type Scope, scopeFilter } from "./url.js";

/** What to crawl and how politely. */
export interface CrawlConfig extends Limits {
  /** Normalised start URLs (may be empty when resuming). */
  startUrls: string[];
  maxPages: number;
  maxDepth: number;
  scope: Scope;
}

/** Live numbers for the progress line. */
export interface CrawlProgress {
  pages: number;
  queued: number;
  inFlight: number;
  failed: number;
  requests: number;
  elapsed: number;
  pagesPerSecond: number;
  /** Hosts currently held back by pacing, with the seconds left. */
  delayed: { host: string; wait: number }[];
}

/** The final report of a crawl. */
export interface CrawlSummary {
  status: "done" | "interrupted" | "max-pages";
  elapsed: number;
  /** Pages stored by this run. */
  stored: number;
  /** HTTP requests started by this run (robots.txt and retries included). */
  requests: number;
  retries: number;
  pagesPerSecond: number;
  counts: StoreCounts;
  hosts: { host: string; requests: number; robots: string; crawlDelay: number }[];
}

/** Status codes worth retrying (Scrapy's list): the server may answer later. */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504, 522, 524]);
/** A Retry-After longer than this gives up on the URL instead of stalling the crawl. */
export const MAX_RETRY_AFTER = 60;
/** Redirect hops followed from one start point. */
export const MAX_REDIRECTS = 10;

const monotonic = () => performance.now() / 1000;
const epoch = () => Date.now() / 1000;

/** Backoff before retry `attempt` (1-based) when the server gave no Retry-After: 0.25 s doubling, capped. */
export function backoffDelay(attempt: number): number {
  return Math.min(30, 0.25 * 2 ** (attempt - 1));
}

/**
 * One crawl over a store. Call {@link Crawler.run} inside an asyncio-ts task (or none: the
 * TaskGroup then runs in a fresh task).
 *
 * @example
 * ```ts
 * import { Crawler, CrawlStore } from "@asyncio-ts/crawler";
 *
 * const store = CrawlStore.open("crawl.db");
 * const crawler = new Crawler(store, {
 *   startUrls: ["https://example.com/"],
 *   maxPages: 100,
 *   maxDepth: 3,
 *   scope: "same-origin",
 *   concurrency: 16,
 *   perHost: 2,
 *   rate: 0,
 *   robots: true,
 *   timeout: 10,
 *   maxSize: 5_000_000,
 *   userAgent: "aio/0.1",
 *   maxAttempts: 3,
 * });
 * process.once("SIGINT", () => crawler.stop());
 * const summary = await crawler.run();
 * store.close();
 * ```
 */
export class Crawler {
  readonly store: CrawlStore;
  readonly config: CrawlConfig;
  /** Called after each page is stored (`aio fetch` prints it). */
  onPage: ((page: PageRecord) => void) | undefined;
  /** Called with a one-line notice about a host (a robots.txt Crawl-delay over the cap). */
  onNotice: ((message: string) => void) | undefined;
  readonly #ring: HostRing;
  readonly #fetcher: HttpFetcher;
  #inScope: (url: string) => boolean = () => true;
  #stopping = false;
  // Invariant: #inFlight counts the request tasks not yet finished (robots.txt included).
  #inFlight = 0;
  // Page fetches in flight (robots.txt excluded), for the --max-pages bound.
  #pagesInFlight = 0;
  #storedAtStart = 0;
  #stored = 0;
  #requests = 0;
  #retries = 0;
  #failed = 0;
  #queued = 0;
  #started = monotonic();
  #wakeup: Future<void> | undefined;
  // AIO_TRACE=<file>: one JSON line per request start, for checking politeness from outside.
  #trace: number | undefined;

  constructor(store: CrawlStore, config: CrawlConfig) {
    this.store = store;
    this.config = config;
    // --rate: one bucket per host, no burst, so starts are at least 1/rate apart.
    const limiter =
      config.rate > 0
        ? new KeyedRateLimiter<string>({ rate: config.rate, per: 1, burst: 1 })
        : undefined;
    this.#ring = new HostRing(config.perHost, config.rate, (host) => limiter!.tryAcquire(host));
    this.#fetcher = new HttpFetcher(
      { timeout: config.timeout, maxSize: config.maxSize, userAgent: config.userAgent },
      config.perHost,
      config.concurrency,
    );
  }

  /** Stops taking new work; requests in flight finish and are stored. Idempotent. */
  stop(): void {
    this.#stopping = true;
    this.#wake();
  }

  /** Whether {@link Crawler.stop} was called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Numbers for a progress line. Cheap: no SQL. */
  progress(): CrawlProgress {
    const now = monotonic();
    const elapsed = now - this.#started;
    const delayed: CrawlProgress["delayed"] = [];
    for (const h of this.#ring.all()) {
      if (h.nextAt > now + 0.001) delayed.push({ host: h.host, wait: h.nextAt - now });
    }
    return {
      pages: this.#storedAtStart + this.#stored,
      queued: this.#queued,
      inFlight: this.#inFlight,
      failed: this.#failed,
      requests: this.#requests,
      elapsed,
      pagesPerSecond: elapsed > 0 ? this.#stored / elapsed : 0,
      delayed,
    };
  }

  /** Crawls until the frontier is empty, `--max-pages` is reached, or {@link Crawler.stop}. */
  async run(): Promise<CrawlSummary> {
    const { store, config } = this;
    this.#started = monotonic();
    const starts = store.rememberStartUrls(config.startUrls);
    this.#inScope = scopeFilter(config.scope, starts);
    store.addUrls(config.startUrls.map((url) => ({ url, host: hostKey(url), depth: 0, hops: 0 })));
    for (const host of store.queuedHosts()) this.#addHost(host);
    const initial = store.counts();
    this.#storedAtStart = initial.pages;
    this.#failed = initial.failed;
    this.#queued = initial.queued;
    let limited = false;
    try {
      // Inside the try: a trace file that cannot be opened still closes the session.
      const tracePath = process.env.AIO_TRACE;
      if (tracePath) this.#trace = openSync(tracePath, "a");
      await taskGroup(async (tg) => {
        for (;;) {
          if (this.#stopping) return;
          if (this.#storedAtStart + this.#stored + this.#pagesInFlight >= config.maxPages) {
            limited = this.#queued > 0;
            if (this.#inFlight === 0) return;
            await this.#idle(null);
            continue;
          }
          if (this.#inFlight >= config.concurrency) {
            await this.#idle(null);
            continue;
          }
          const now = monotonic();
          const nowEpoch = epoch();
          const found: { entry?: FrontierEntry } = {};
          const pick = this.#ring.pick(now, (host) => {
            found.entry = store.nextQueued(host, nowEpoch);
            if (found.entry) return "yes";
            const due = store.earliestDue(host);
            return due === undefined ? "none" : now + Math.max(0, due - nowEpoch);
          });
          if (pick.kind === "idle") {
            if (this.#inFlight === 0) return;
            await this.#idle(null);
          } else if (pick.kind === "wait") {
            await this.#idle(Math.max(0.001, pick.until - now));
          } else if (pick.kind === "robots") {
            const host = pick.host;
            host.robotsLoading = true;
            this.#begin(host, false, `${host.origin}/robots.txt`);
            tg.createTask(() => this.#loadRobots(host), { name: `robots ${host.host}` });
          } else {
            const entry = found.entry!;
            const host = pick.host;
            if (!store.lease(entry)) continue;
            this.#queued--;
            const robots = host.robots!;
            if (robots.failure !== undefined) {
              this.#store(
                entry,
                { ...baseRecord(entry, 0), outcome: "failed", error: robots.failure },
                [],
                [],
              );
              continue;
            }
            if (!robots.allowed(entry.url)) {
              this.#store(entry, blockedRecord(entry, robots), [], []);
              continue;
            }
            this.#begin(host, true, entry.url);
            tg.createTask(() => this.#fetchPage(entry, host), { name: entry.url });
          }
        }
      });
    } finally {
      await this.#fetcher.close();
      if (this.#trace !== undefined) closeSync(this.#trace);
      this.#trace = undefined;
    }
    const counts = store.counts();
    const elapsed = monotonic() - this.#started;
    return {
      status: this.#stopping ? "interrupted" : limited || counts.queued > 0 ? "max-pages" : "done",
      elapsed,
      stored: this.#stored,
      requests: this.#requests,
      retries: this.#retries,
      pagesPerSecond: elapsed > 0 ? this.#stored / elapsed : 0,
      counts,
      hosts: [...this.#ring.all()].map((h) => ({
        host: h.host,
        requests: h.requests,
        robots: h.robots?.source ?? "not loaded",
        crawlDelay: h.robots?.crawlDelay ?? 0,
      })),
    };
  }

  #addHost(host: string): void {
    const state = this.#ring.state(host, host);
    if (!this.config.robots && state.robots === undefined) this.#ring.setRobots(state, ALLOW_ALL);
    this.#ring.add(host, host);
  }

  /**
   * Counts a request start. Pacing is measured from a fresh clock reading, not the one the
   * pick used: the lease's SQLite commit can run a WAL checkpoint (milliseconds), and a stale
   * start time would let the next request in early.
   */
  #begin(host: HostState, page: boolean, url: string): void {
    const now = monotonic();
    this.#ring.started(host, now);
    this.#inFlight++;
    this.#requests++;
    if (page) this.#pagesInFlight++;
    if (this.#trace !== undefined) {
      const line = {
        t: performance.timeOrigin + now * 1000,
        host: host.host,
        url,
        inFlight: host.inFlight,
        total: this.#inFlight,
      };
      writeSync(this.#trace, `${JSON.stringify(line)}\n`);
    }
  }

  #end(host: HostState, page: boolean): void {
    this.#ring.finished(host);
    this.#inFlight--;
    if (page) this.#pagesInFlight--;
    this.#wake();
  }

  /** Sleeps until woken, or for at most `delay` seconds. */
  async #idle(delay: number | null): Promise<void> {
    const f = new Future<void>();
    this.#wakeup = f;
    if (delay === null) await f;
    else await wait([f], { timeout: delay });
    this.#wakeup = undefined;
  }

  #wake(): void {
    const f = this.#wakeup;
    this.#wakeup = undefined;
    if (f !== undefined && !f.done()) f.setResult(undefined);
  }

  async #loadRobots(host: HostState): Promise<void> {
    try {
      const loaded = await loadRobots(host.origin, this.config.userAgent, (url) =>
        this.#fetcher.get(url, true),
      );
      const max = this.config.maxCrawlDelay ?? DEFAULT_MAX_CRAWL_DELAY;
      const rules = capCrawlDelay(loaded, max);
      if (rules !== loaded) {
        this.onNotice?.(
          `${host.host}: robots.txt asks for Crawl-delay ${loaded.crawlDelay} s, over the ${max} s cap (--max-crawl-delay): host skipped, its pages stored as blocked`,
        );
      }
      this.#ring.setRobots(host, rules);
    } finally {
      this.#end(host, false);
    }
  }

  async #fetchPage(entry: FrontierEntry, host: HostState): Promise<void> {
    try {
      let res: FetchedPage;
      try {
        res = await this.#fetcher.get(entry.url);
      } catch (err) {
        if (!(err instanceof FetchError)) throw err;
        this.#onFailure(entry, host, err);
        return;
      }
      this.#onResponse(entry, host, res);
    } finally {
      this.#end(host, true);
    }
  }

  #onFailure(entry: FrontierEntry, host: HostState, err: FetchError): void {
    const attempt = entry.attempts + 1;
    if (err.retryable && attempt < this.config.maxAttempts) {
      this.#retry(entry, host, attempt, backoffDelay(attempt), false);
      return;
    }
    const suffix = err.retryable && attempt > 1 ? ` (after ${attempt} attempts)` : "";
    this.#store(
      entry,
      { ...baseRecord(entry, attempt), outcome: "failed", error: err.message + suffix },
      [],
      [],
    );
  }

  #retry(
    entry: FrontierEntry,
    host: HostState,
    attempt: number,
    delay: number,
    hostWide: boolean,
  ): void {
    if (hostWide) this.#ring.backoff(host, monotonic(), delay);
    this.store.requeue(entry, attempt, epoch() + delay);
    this.#retries++;
    this.#queued++;
    this.#addHost(host.host);
  }

  #onResponse(entry: FrontierEntry, host: HostState, res: FetchedPage): void {
    const attempt = entry.attempts + 1;
    const record: PageRecord = {
      ...baseRecord(entry, attempt),
      status: res.status,
      content_type: res.contentType,
      bytes: res.bytes,
      elapsed: Math.round(res.elapsed * 1e6) / 1e6,
    };
    const status = res.status;
    if (RETRY_STATUSES.has(status)) {
      const delay = res.retryAfter ?? backoffDelay(attempt);
      if (attempt < this.config.maxAttempts && delay <= MAX_RETRY_AFTER) {
        // 429 and 503 speak for the whole server: slow the host down, not just this URL.
        this.#retry(entry, host, attempt, delay, status === 429 || status === 503);
        return;
      }
      const why =
        delay > MAX_RETRY_AFTER
          ? `HTTP ${status}; Retry-After ${delay} s exceeds the ${MAX_RETRY_AFTER} s cap`
          : `HTTP ${status} after ${attempt} attempt${attempt === 1 ? "" : "s"}`;
      this.#store(entry, { ...record, outcome: "failed", error: why }, [], []);
      return;
    }
    if (status >= 300 && status < 400) {
      const target = res.location === null ? undefined : normalizeUrl(res.location);
      if (target === undefined) {
        this.#store(
          entry,
          { ...record, outcome: "http-error", error: `HTTP ${status} without a usable Location` },
          [],
          [],
        );
        return;
      }
      record.redirect_to = target;
      const links: LinkRecord[] = [{ to: target, nofollow: false, kind: "redirect" }];
      if (entry.hops + 1 > MAX_REDIRECTS) {
        this.#store(
          entry,
          { ...record, outcome: "failed", error: `more than ${MAX_REDIRECTS} redirects` },
          links,
          [],
        );
        return;
      }
      if (entry.depth === 0 && !this.#inScope(target)) {
        // A start URL that redirects elsewhere (http -> https, example.com -> www.example.com)
        // names the site its target is on: the target becomes a start URL (kept in the store for
        // resumes), else the crawl of that site would end with this one redirect row.
        this.#inScope = scopeFilter(this.config.scope, this.store.rememberStartUrls([target]));
      }
      // A redirect target stands in for the page itself: same depth, one more hop.
      const next = this.#inScope(target)
        ? [{ url: target, host: hostKey(target), depth: entry.depth, hops: entry.hops + 1 }]
        : [];
      this.#store(entry, { ...record, outcome: "redirect" }, links, next);
      return;
    }
    if (status < 200 || status >= 400) {
      this.#store(entry, { ...record, outcome: "http-error", error: `HTTP ${status}` }, [], []);
      return;
    }
    const page = res.page;
    const links: LinkRecord[] = [];
    const discovered: NewUrl[] = [];
    if (page !== null) {
      record.title = page.title ?? null;
      record.canonical = page.canonical ?? null;
      record.noindex = page.noindex ? 1 : 0;
      const depth = entry.depth + 1;
      const follow = (url: string, nofollow: boolean) => {
        if (nofollow || page.nofollow || depth > this.config.maxDepth || !this.#inScope(url))
          return;
        discovered.push({ url, host: hostKey(url), depth, hops: 0 });
      };
      for (const link of page.links) {
        links.push({ to: link.url, nofollow: link.nofollow, kind: "a" });
        follow(link.url, link.nofollow);
      }
      if (page.canonical !== undefined && page.canonical !== entry.url) {
        if (!links.some((l) => l.to === page.canonical)) {
          links.push({ to: page.canonical, nofollow: false, kind: "canonical" });
        }
        follow(page.canonical, false);
      }
    }
    this.#store(entry, { ...record, outcome: "ok" }, links, discovered);
  }

  #store(
    entry: FrontierEntry,
    record: PageRecord,
    links: LinkRecord[],
    discovered: NewUrl[],
  ): void {
    const added = this.store.complete(entry, record, links, discovered);
    this.#stored++;
    this.#queued += added;
    if (record.outcome === "failed") this.#failed++;
    if (added > 0) for (const u of discovered) this.#addHost(u.host);
    this.onPage?.(record);
  }
}

function baseRecord(entry: FrontierEntry, attempts: number): PageRecord {
  return {
    url: entry.url,
    status: null,
    title: null,
    depth: entry.depth,
    error: null,
    fetched_at: new Date().toISOString(),
    outcome: "ok",
    content_type: null,
    bytes: null,
    elapsed: null,
    redirect_to: null,
    canonical: null,
    noindex: 0,
    attempts,
  };
}

function blockedRecord(entry: FrontierEntry, robots: RobotsRules): PageRecord {
  // A 5xx robots.txt or a Crawl-delay over the cap disallows everything; say why, it is no rule.
  const error = robots.blocked ?? "disallowed by robots.txt";
  return { ...baseRecord(entry, 0), outcome: "blocked", error };
}

export { CrawlStore };
