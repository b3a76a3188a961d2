// crawl with asyncio-ts: the `aio` crawler's engine (the same code as `aio crawl`), with its
// SQLite store in a temporary directory, robots.txt obeyed, 64 requests in flight.
// Checksum: pages stored with outcome "ok" (every page of the site, once).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../packages/asyncio-ts/dist/src/index.js";
import { Crawler, CrawlStore } from "../../../packages/crawler/dist/src/index.js";
import { measure, sizeArg } from "../common/measure.mjs";
import { CONCURRENCY, startSite } from "./site.mjs";

const n = sizeArg(10_000);
const site = await startSite(n);
const dir = mkdtempSync(join(tmpdir(), "bench-crawl-"));

try {
  await measure(async () => {
    // The same group commit as the command line.
    const store = CrawlStore.open(join(dir, "crawl.db"), { groupCommit: 0.02 });
    try {
      const crawler = new Crawler(store, {
        startUrls: [site.url],
        maxPages: n + 1,
        maxDepth: 1_000_000,
        scope: "same-origin",
        concurrency: CONCURRENCY,
        perHost: CONCURRENCY,
        rate: 0,
        robots: true,
        timeout: 30,
        maxSize: 10 * 1024 * 1024,
        maxAttempts: 3,
        userAgent: "aio-bench",
      });
      const summary = await run(() => crawler.run());
      return summary.counts.ok;
    } finally {
      store.close();
    }
  });
} catch (error) {
  // better-sqlite3 is a native addon built for one node ABI (the machine's node 20); on another
  // node the store cannot open. Say so in one line (the harness shows it as the row's status)
  // instead of a stack trace.
  const abi =
    /NODE_MODULE_VERSION (\d+)\. This version of Node.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
      String(error?.message),
    );
  if (!abi) throw error;
  process.stderr.write(
    `error: better-sqlite3 is built for NODE_MODULE_VERSION ${abi[1]}, node ${process.version} needs ${abi[2]}\n`,
  );
  process.exitCode = 1;
} finally {
  // The site is a child process: close it on every path, or its pipe keeps this process alive.
  site.close();
  rmSync(dir, { recursive: true, force: true });
}
