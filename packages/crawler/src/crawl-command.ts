/**
 * `aio crawl` and `aio fetch`: store, signals, progress and the summary around a {@link Crawler}.
 *
 * Ctrl-C: the first SIGINT (or SIGTERM) stops taking new work and lets the requests in flight
 * finish and be stored, then exits 130. A second one exits 130 at once. Both leave the store
 * consistent: every store write is one synchronous SQLite transaction, so a signal can only
 * arrive between transactions, and leased-but-unstored URLs are re-queued by the next run.
 */
import { closeSync, openSync, readFileSync } from "node:fs";
import { run } from "asyncio-ts";
import { type CrawlArgs, type FetchArgs, UsageError } from "./args.js";
import { type CrawlConfig, Crawler, type CrawlSummary } from "./crawler.js";
import { startDemoSite } from "./demo-site.js";
import { formatPage } from "./export.js";
import { Output, writeOnce } from "./output.js";
import { ProgressReporter, plural } from "./progress.js";
import { CrawlStore } from "./store.js";
import { inspectStore, StoreError } from "./store-open.js";
import { normalizeUrl } from "./url.js";

/**
 * Exit codes of `aio`: 0 done, 1 done but some pages failed, 2 bad usage, 130 interrupted.
 *
 * @example
 * ```ts
 * import { EXIT, main } from "@asyncio-ts/crawler";
 *
 * const code = await main(["crawl", "https://example.com/", "--max-pages", "10"]);
 * if (code === EXIT.failed) console.error("some pages failed; see the store");
 * ```
 */
export const EXIT = { done: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Where a command writes (replaceable in tests). */
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Runs a crawler under asyncio-ts with aio's Ctrl-C policy and a progress line, closing the store
 * at the end. Returns the summary. `abandoned` is what the second Ctrl-C reports about the work
 * it drops (a crawl's store resumes it; `aio fetch`, whose store is in memory, just loses it).
 */
async function crawlWithSignals(
  store: CrawlStore,
  crawler: Crawler,
  io: Io,
  quiet: boolean,
  abandoned: string,
): Promise<CrawlSummary> {
  const progress = new ProgressReporter(io.stderr, () => crawler.progress());
  // Per-host news (a Crawl-delay over the cap) is shown when it happens, whatever the quietness:
  // the summary lists five hosts at most.
  crawler.onNotice = (message) => progress.note(`aio: ${message}`);
  let signals = 0;
  const onSignal = (name: string) => {
    signals++;
    if (signals === 1) {
      crawler.stop();
      progress.note(
        `aio: ${name}: finishing ${plural(crawler.progress().inFlight, "request")} in flight; press Ctrl-C again to stop at once`,
      );
      return;
    }
    progress.stop();
    // Between two transactions by construction (we are in a signal callback on the JS thread).
    store.close();
    io.stderr.write(`aio: ${name} again: stopped at once; ${abandoned}\n`);
    process.exit(EXIT.interrupted);
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  // Installed before run(), which then leaves SIGINT to us (its default would cancel, not drain).
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  if (!quiet) progress.start();
  try {
    return await run(() => crawler.run());
  } finally {
    progress.stop();
    process.removeListener("SIGINT", onInt);
    process.removeListener("SIGTERM", onTerm);
    store.close();
  }
}

function exitCodeOf(summary: CrawlSummary): number {
  if (summary.status === "interrupted") return EXIT.interrupted;
  return summary.counts.failed > 0 ? EXIT.failed : EXIT.done;
}

/** The human summary printed at the end of `aio crawl`. */
export function formatSummary(summary: CrawlSummary, db: string, starts: string[]): string {
  const c = summary.counts;
  const verb = {
    done: "Crawled",
    interrupted: "Interrupted crawl of",
    "max-pages": "Stopped at --max-pages crawling",
  }[summary.status];
  const lines = [
    `${verb} ${starts.join(" ") || "(resumed)"} in ${summary.elapsed.toFixed(1)} s: ${plural(c.pages, "page")} in ${db}` +
      ` (${summary.stored} stored by this run)`,
    `  ${c.ok} ok · ${plural(c.redirect, "redirect")} · ${plural(c.httpError, "HTTP error")} · ${c.failed} failed · ${c.blocked} blocked by robots.txt`,
    `  ${plural(summary.requests, "request")} (${plural(summary.retries, "retry", "retries")}) · ${summary.pagesPerSecond.toFixed(1)} pages/s · ${plural(c.queued + c.leased, "URL")} left in the queue`,
  ];
  for (const h of summary.hosts.slice(0, 5)) {
    const delay = h.crawlDelay > 0 ? `, Crawl-delay ${h.crawlDelay} s` : "";
    lines.push(`  ${h.host}: ${plural(h.requests, "request")}, robots.txt ${h.robots}${delay}`);
  }
  if (summary.hosts.length > 5) lines.push(`  ... and ${summary.hosts.length - 5} more hosts`);
  if (summary.status === "interrupted" || summary.status === "max-pages") {
    lines.push(`  Run the same command again to resume (nothing fetched is fetched again).`);
  }
  lines.push(`  Export: aio export --db ${db} --format csv`);
  return `${lines.join("\n")}\n`;
}

/**
 * `AIO_TRACE=<file>` (one JSON line per request start) must be writable: checked before any
 * store is opened, so a typo is one line of bad usage, not a stack trace mid-crawl.
 */
function checkTraceFile(): void {
  const path = process.env.AIO_TRACE;
  if (!path) return;
  try {
    closeSync(openSync(path, "a"));
  } catch (err) {
    throw new UsageError(
      `AIO_TRACE=${path} cannot be opened for appending: ${(err as Error).message}`,
    );
  }
}

/** `aio crawl`. */
export async function crawlCommand(args: CrawlArgs, io: Io): Promise<number> {
  checkTraceFile();
  if (!args.demo && args.urls.length === 0 && inspectStore(args.db) === "fresh") {
    throw new UsageError(
      `crawl needs at least one start URL (or --demo, or an existing --db ${args.db} to resume)`,
    );
  }
  // Results share a COMMIT for up to 20 ms: a crash loses at most that much, never consistency.
  const store = CrawlStore.open(args.db, { groupCommit: 0.02 });
  let site: Awaited<ReturnType<typeof startDemoSite>> | undefined;
  let urls = args.urls;
  try {
    const isDemoStore = store.getMeta("demo") === "1";
    const counts = store.counts();
    const holdsCrawl = counts.pages + counts.queued + counts.leased > 0;
    if (!args.demo && isDemoStore) {
      // A demo crawl cannot be resumed (its site is gone, and the next one listens on another
      // port), and real pages added to it would be erased by the next `--demo` on this store.
      if (holdsCrawl) {
        throw new StoreError(
          args.db,
          `--db ${args.db} holds a demo crawl, which cannot be resumed or extended (the demo site listens on a new port every run); give another --db, or run 'aio crawl --demo' again`,
        );
      }
      store.setMeta("demo", "0");
    }
    if (args.demo) {
      if (!isDemoStore && holdsCrawl) {
        throw new StoreError(
          args.db,
          `--db ${args.db} holds a real crawl; --demo starts fresh and would erase it`,
        );
      }
      // The demo site listens on a new port every run, so the demo always starts fresh.
      store.reset();
      store.setMeta("demo", "1");
      site = await startDemoSite();
      urls = [site.url];
      if (!args.json)
        io.stderr.write(
          `aio: demo site on ${site.url} (robots.txt, redirects, 404/5xx, slow pages)\n`,
        );
    }
  } catch (err) {
    store.close();
    throw err;
  }
  const config: CrawlConfig = { ...args, startUrls: urls };
  const crawler = new Crawler(store, config);
  let summary: CrawlSummary;
  try {
    summary = await crawlWithSignals(
      store,
      crawler,
      io,
      false,
      "the store is consistent, run again to resume",
    );
  } finally {
    await site?.close();
  }
  // The store holds the crawl whatever becomes of stdout: a reader that left early (EPIPE) only
  // loses the summary, and the exit code still reports the crawl.
  writeOnce(
    io.stdout,
    args.json
      ? `${JSON.stringify({ ...summary, db: args.db, exitCode: exitCodeOf(summary) })}\n`
      : formatSummary(summary, args.db, urls),
  );
  return exitCodeOf(summary);
}

/** Reads the URL list of `aio fetch` (one per line; blank lines and `#` comments skipped). */
export function readUrlList(source: string): string[] {
  let text: string;
  try {
    text = readFileSync(source === "-" ? 0 : source, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read URL list '${source}': ${(err as Error).message}`);
  }
  const urls: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const url = normalizeUrl(trimmed);
    if (url === undefined) {
      throw new UsageError(
        `invalid URL '${trimmed}' on line ${i + 1} of ${source === "-" ? "stdin" : source}`,
      );
    }
    urls.push(url);
  });
  return urls;
}

/** `aio fetch`: every listed URL once (redirects followed, links not), JSON lines on stdout. */
export async function fetchCommand(args: FetchArgs, io: Io): Promise<number> {
  checkTraceFile();
  const urls = readUrlList(args.source);
  const store = CrawlStore.open(":memory:", { groupCommit: 0.02 });
  const crawler = new Crawler(store, {
    ...args,
    startUrls: urls,
    maxPages: Number.MAX_SAFE_INTEGER,
    maxDepth: 0,
    scope: "any",
  });
  // The results exist only on stdout (the store is in memory): once its reader has gone
  // (`aio fetch urls.txt | head -1`), fetching more is useless, so stop taking new URLs and end
  // quietly with 0, the reader's normal early stop.
  const out = new Output(io.stdout, () => crawler.stop());
  crawler.onPage = (page) => {
    out.write(formatPage(page, "jsonl"));
  };
  let summary: CrawlSummary;
  try {
    summary = await crawlWithSignals(
      store,
      crawler,
      io,
      io.stderr.isTTY !== true,
      "the requests in flight were dropped, their URLs not printed",
    );
  } finally {
    out.release();
  }
  if (out.closed) return EXIT.done;
  const c = summary.counts;
  io.stderr.write(
    `aio fetch: ${plural(c.pages, "URL")} in ${summary.elapsed.toFixed(1)} s: ${c.ok} ok, ${c.redirect} redirected, ` +
      `${plural(c.httpError, "HTTP error")}, ${c.failed} failed, ${c.blocked} blocked by robots.txt\n`,
  );
  return exitCodeOf(summary);
}
