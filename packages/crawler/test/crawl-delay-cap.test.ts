/**
 * robots.txt Crawl-delay has a cap (--max-crawl-delay, default 30 s): a host asking for more
 * is skipped (its pages stored as blocked, a notice on stderr), never crawled faster than it
 * asked, and never allowed to hold the crawl open for hours.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DEFAULT_MAX_CRAWL_DELAY, parseCommandLine } from "../src/args.js";
import { capCrawlDelay, parseRobots } from "../src/robots.js";
import { page, runAio, startServer, type TestServer, tempDir, withDb } from "./helpers.js";

const tmp = tempDir();
after(tmp.cleanup);

/** A site whose robots.txt asks for `delay` seconds; `/` links to /a and /b. */
function site(delay: number) {
  return (path: string) =>
    path === "/robots.txt"
      ? {
          body: `User-agent: *\nCrawl-delay: ${delay}\n`,
          headers: { "content-type": "text/plain" },
        }
      : { body: page(`Page ${path}`, path === "/" ? ["/a", "/b"] : []) };
}

describe("capCrawlDelay", () => {
  const rules = (delay: number) =>
    parseRobots("http://h.test/robots.txt", `User-agent: *\nCrawl-delay: ${delay}\n`, "aio/0.1");

  it("keeps rules up to the cap, the cap included", () => {
    const at = rules(30);
    assert.equal(capCrawlDelay(at, 30), at);
    assert.equal(capCrawlDelay(rules(0.5), 0.5).crawlDelay, 0.5);
    assert.equal(DEFAULT_MAX_CRAWL_DELAY, 30);
  });

  it("over the cap: everything disallowed, no pacing, and the reason in source and blocked", () => {
    const capped = capCrawlDelay(rules(30.5), 30);
    assert.equal(capped.allowed("http://h.test/"), false);
    assert.equal(capped.crawlDelay, 0);
    assert.equal(
      capped.source,
      "fetched, but its Crawl-delay 30.5 s exceeds the 30 s cap (--max-crawl-delay): host skipped",
    );
    assert.equal(
      capped.blocked,
      "disallowed: robots.txt Crawl-delay 30.5 s exceeds the 30 s cap (--max-crawl-delay), so the host is skipped",
    );
    // A cap of 0 skips any host that asks for a delay, and only those.
    assert.equal(capCrawlDelay(rules(0.01), 0).allowed("http://h.test/"), false);
    const none = parseRobots("http://h.test/robots.txt", "Disallow: /x\n", "aio/0.1");
    assert.equal(capCrawlDelay(none, 0), none);
  });

  it("--max-crawl-delay is parsed for crawl and fetch, 30 by default", () => {
    const crawl = parseCommandLine(["crawl", "http://h.test/", "--max-crawl-delay", "2.5"]);
    assert.equal((crawl as { maxCrawlDelay: number }).maxCrawlDelay, 2.5);
    const fetch = parseCommandLine(["fetch", "-", "--max-crawl-delay=0"]);
    assert.equal((fetch as { maxCrawlDelay: number }).maxCrawlDelay, 0);
    const dflt = parseCommandLine(["crawl", "http://h.test/"]);
    assert.equal((dflt as { maxCrawlDelay: number }).maxCrawlDelay, 30);
  });
});

describe("aio crawl with a Crawl-delay over the cap", () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it("skips that host after its robots.txt, says so, and crawls the others", async () => {
    const slow = await startServer(site(2));
    const fine = await startServer(site(0.05));
    servers.push(slow, fine);
    const db = join(tmp.dir, "cap.db");
    const r = await runAio([
      "crawl",
      slow.url,
      `${slow.origin}/a`,
      fine.url,
      "--db",
      db,
      "--max-crawl-delay",
      "1",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      slow.log.map((l) => l.path),
      ["/robots.txt"],
      "nothing but robots.txt is requested from the skipped host",
    );
    assert.deepEqual(fine.log.map((l) => l.path).sort(), ["/", "/a", "/b", "/robots.txt"]);
    assert.match(
      r.stderr,
      new RegExp(
        `^aio: ${slow.origin.replace(/[.]/g, "\\.")}: robots\\.txt asks for Crawl-delay 2 s, over the 1 s cap \\(--max-crawl-delay\\): host skipped, its pages stored as blocked$`,
        "m",
      ),
    );
    const summary = JSON.parse(r.stdout) as {
      counts: { blocked: number; ok: number };
      hosts: { host: string; robots: string; crawlDelay: number }[];
    };
    assert.equal(summary.counts.blocked, 2);
    assert.equal(summary.counts.ok, 3);
    const slowHost = summary.hosts.find((h) => h.host === slow.origin)!;
    assert.equal(
      slowHost.robots,
      "fetched, but its Crawl-delay 2 s exceeds the 1 s cap (--max-crawl-delay): host skipped",
    );
    assert.equal(summary.hosts.find((h) => h.host === fine.origin)!.crawlDelay, 0.05);
    const blocked = withDb(db, (d) =>
      d.prepare("SELECT url, error FROM pages WHERE outcome = 'blocked' ORDER BY url").all(),
    );
    const error =
      "disallowed: robots.txt Crawl-delay 2 s exceeds the 1 s cap (--max-crawl-delay), so the host is skipped";
    assert.deepEqual(blocked, [
      { url: slow.url, error },
      { url: `${slow.origin}/a`, error },
    ]);
  });

  it("the default cap is 30 s: Crawl-delay 31 skips the host instead of waiting", async () => {
    const s = await startServer(site(31));
    servers.push(s);
    const db = join(tmp.dir, "default-cap.db");
    const r = await runAio(["crawl", s.url, "--db", db]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      s.log.map((l) => l.path),
      ["/robots.txt"],
    );
    assert.match(r.stdout, /robots\.txt fetched, but its Crawl-delay 31 s exceeds the 30 s cap/);
    assert.match(
      r.stdout,
      /0 ok · 0 redirects · 0 HTTP errors · 0 failed · 1 blocked by robots\.txt/,
    );
  });
});
