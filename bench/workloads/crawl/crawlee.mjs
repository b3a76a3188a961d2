// crawl with crawlee's CheerioCrawler (@crawlee/cheerio 3.x), configured the way a crawlee user
// tuning for throughput on a known-good local site would:
// - minConcurrency, maxConcurrency and autoscaledPoolOptions.desiredConcurrency all 64.
//   HttpCrawler's default pool options start at desiredConcurrency 10 (whatever minConcurrency
//   says) and scale up by 5% every 10 s only while the system-status snapshots (CPU, memory,
//   event-loop lag) look idle, which a busy 2-core machine never does: with min/max 64 alone a
//   1000-page crawl ran with 10 requests in flight from start to end (39 s). Desired = min = max
//   = 64 keeps 64 in flight from the start and the overload check out of the way (the pool
//   never goes below minConcurrency), like every other crawler here.
// - storage in memory only (Configuration persistStorage: false, purgeOnStart): no ./storage
//   directory of JSON files for the request queue, the statistics or the key-value store.
// - respectRobotsTxtFile: true, as asyncio-ts and Scrapy obey robots.txt (the site's is a 404).
// - maxRequestRetries 2: the retries Scrapy's RetryMiddleware and asyncio-ts (maxAttempts 3)
//   allow; no request fails here, so this never fires.
// - enqueueLinks with strategy "same-origin": every `a[href]` resolved against the page URL
//   (crawlee honours <base href>), kept on the site's origin, deduplicated by the request
//   queue's unique key (the normalised URL), as asyncio-ts's scope "same-origin" does.
// - useSessionPool: false: sessions rotate identities against anti-bot blocking, which a local
//   site has none of and which no other crawler here does.
// - no maxRequestsPerCrawl (Scrapy and aiohttp have no cap; asyncio-ts's maxPages n + 1 never
//   binds). With a cap, enqueueLinks passes the remaining budget (cap - handled - pending) as
//   maxNewRequests, and addRequestsBatched then adds links in chunks of that budget with a
//   1 s sleep between chunks: once the whole site is discovered the budget is 1, so each page's
//   enqueueLinks took 2-4 s (a 1000-page crawl: 19 s with the cap n + 1, 10 s without).
// - logging off (LogLevel.OFF) and the periodic status message never due within the run.
// The HTTP client is crawlee's default (got-scraping, keep-alive agents): the only one it ships.
// Checksum: pages handled with a 200 HTML response (every page of the site, once).
import { CheerioCrawler, Configuration, LogLevel, log } from "@crawlee/cheerio";
import { measure, sizeArg } from "../common/measure.mjs";
import { CONCURRENCY, startSite } from "./site.mjs";

const n = sizeArg(10_000);
const site = await startSite(n);
log.setLevel(LogLevel.OFF);

await measure(async () => {
  const config = new Configuration({ persistStorage: false, purgeOnStart: true });
  let ok = 0;
  const crawler = new CheerioCrawler(
    {
      minConcurrency: CONCURRENCY,
      maxConcurrency: CONCURRENCY,
      autoscaledPoolOptions: { desiredConcurrency: CONCURRENCY },
      maxRequestRetries: 2,
      respectRobotsTxtFile: true,
      useSessionPool: false,
      statusMessageLoggingInterval: 3600,
      async requestHandler({ response, enqueueLinks }) {
        if (response.statusCode === 200) ok++;
        await enqueueLinks({ strategy: "same-origin" });
      },
    },
    config,
  );
  await crawler.run([site.url]);
  return ok;
});
site.close();
