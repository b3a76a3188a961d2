// crawl with asyncio-ts: the `aio` crawler's engine (the same code as `aio crawl`), with its
// SQLite store in a temporary directory, robots.txt obeyed, 64 requests in flight.
// Checksum: pages stored with outcome "ok" (every page of the site, once).
//
// better-sqlite3 is a native addon compiled for one node ABI (the machine's node 20). On a node
// it cannot load in (node 24 here), the store runs on node:sqlite through `node-sqlite-shim.mjs`
// (same SQLite, SQL and pragmas; another binding), and the script says so on stderr.
import { mkdtempSync, rmSync } from "node:fs";
import nodeModule from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, sizeArg } from "../common/measure.mjs";
import { CONCURRENCY, startSite } from "./site.mjs";

const crawlerEntry = new URL("../../../packages/crawler/dist/src/index.js", import.meta.url);

/** Whether the installed better-sqlite3 loads in this node (it throws on an ABI mismatch). */
function betterSqliteLoads() {
  try {
    const Database = nodeModule.createRequire(crawlerEntry)("better-sqlite3");
    new Database(":memory:").close();
    return true;
  } catch (error) {
    if (!/NODE_MODULE_VERSION/.test(String(error?.message))) throw error;
    return false;
  }
}

if (!betterSqliteLoads()) {
  const shim = new URL("./node-sqlite-shim.mjs", import.meta.url).href;
  // module.registerHooks exists from node 22.15 / 23.5 on (node 20 never gets here).
  nodeModule.registerHooks({
    resolve: (specifier, context, next) =>
      specifier === "better-sqlite3" ? { url: shim, shortCircuit: true } : next(specifier, context),
  });
  process.stderr.write(
    `crawl: better-sqlite3 is not built for node ${process.version}; the store runs on node:sqlite\n`,
  );
}

const { run } = await import("../../../packages/asyncio-ts/dist/src/index.js");
const { Crawler, CrawlStore } = await import(crawlerEntry.href);

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
} finally {
  // The site is a child process: close it on every path, or its pipe keeps this process alive.
  site.close();
  rmSync(dir, { recursive: true, force: true });
}
