/**
 * End-to-end politeness, measured on purpose-built servers: per-host and total concurrency,
 * --rate spacing, robots.txt Crawl-delay, Retry-After on 429, round-robin fairness, robots rules.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  type Logged,
  page,
  readTrace,
  runAio,
  startServer,
  type TestServer,
  type TraceLine,
  tempDir,
  withDb,
} from "./helpers.js";

const tmp = tempDir();
after(tmp.cleanup);
let n = 0;
const freshDb = () => join(tmp.dir, `p${n++}.db`);

/** A site of `count` pages; page i links to the next three. */
function chain(
  count: number,
  extra: (path: string) => { delay?: number; robots?: string } = () => ({}),
) {
  return (path: string) => {
    if (path === "/robots.txt") {
      const robots = extra(path).robots;
      return robots === undefined
        ? { status: 404 }
        : { body: robots, headers: { "content-type": "text/plain" } };
    }
    const i = path === "/" ? 0 : Number(path.slice(3));
    const links = [1, 2, 3]
      .map((d) => i + d)
      .filter((j) => j < count)
      .map((j) => `/p/${j}`);
    return { body: page(`Page ${i}`, links), delay: extra(path).delay };
  };
}

/** Largest number of requests in flight at once across several logs. */
function maxOverlap(logs: Logged[][]): number {
  const events = logs.flat().flatMap((r) => [
    [r.start, 1],
    [r.end, -1],
  ]);
  events.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) {
    cur += d!;
    max = Math.max(max, cur);
  }
  return max;
}

/**
 * Asserts that requests to one host were paced `interval` ms apart.
 * - Exactly, on the crawler's own dispatch times (AIO_TRACE): every gap >= interval.
 * - On average, at the server: arrivals carry jitter (a new connection arrives late, a busy
 *   shared machine delays a process), which only shifts the endpoints of a span, so the span
 *   from the second to the last arrival must hold all the intervals between them but one. The first
 *   arrival is left out: it includes the client's cold start (measured at 50-150 ms).
 */
function assertSpaced(log: Logged[], trace: TraceLine[], origin: string, interval: number) {
  const sent = trace.filter((t) => t.host === origin).map((t) => t.t);
  assert.equal(sent.length, log.length, "every traced request reached the server");
  const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
  assert.ok(
    Math.min(...gaps) >= interval - 1,
    `dispatch gaps (ms): ${gaps.map((g) => g.toFixed(1)).join(" ")}`,
  );
  const arrivals = log
    .map((r) => r.start)
    .sort((a, b) => a - b)
    .slice(1);
  const span = arrivals[arrivals.length - 1]! - arrivals[0]!;
  const needed = (arrivals.length - 1) * interval;
  assert.ok(
    span >= needed - 30,
    `${arrivals.length} arrivals within ${span.toFixed(0)} ms, need ${needed} ms`,
  );
}

describe("politeness", () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it("enforces --per-host, --concurrency and --rate, and serves hosts round-robin", async () => {
    const a = await startServer(chain(16, () => ({ delay: 0.12 })));
    const b = await startServer(chain(16, () => ({ delay: 0.12 })));
    servers.push(a, b);
    const db = freshDb();
    const tracePath = `${db}.trace`;
    const r = await runAio(
      [
        "crawl",
        a.url,
        b.url,
        "--db",
        db,
        "--per-host",
        "2",
        "--concurrency",
        "3",
        "--rate",
        "20",
        "--json",
      ],
      { env: { AIO_TRACE: tracePath } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).counts.pages, 32);
    const trace = readTrace(tracePath);
    // The trace line is written after the request is counted, so it includes itself.
    assert.equal(
      Math.max(...trace.map((t) => t.total)),
      3,
      "--concurrency 3 used and never exceeded",
    );
    assert.equal(
      Math.max(...trace.map((t) => t.inFlight)),
      2,
      "--per-host 2 used and never exceeded",
    );
    // robots.txt + 16 pages per host, each exactly once.
    for (const s of [a, b]) {
      assert.equal(s.log.length, 17);
      assert.equal(new Set(s.log.map((l) => l.path)).size, 17);
      assert.ok(s.maxConcurrent <= 2, `per-host in flight reached ${s.maxConcurrent}`);
      assertSpaced(s.log, trace, s.origin, 50);
    }
    assert.ok(
      maxOverlap([a.log, b.log]) <= 3,
      `total in flight reached ${maxOverlap([a.log, b.log])}`,
    );
    assert.equal(Math.max(a.maxConcurrent, b.maxConcurrent), 2, "per-host concurrency was used");
    // Fairness: in every window of 8 consecutive requests both hosts appear.
    const merged = [
      ...a.log.map((l) => ({ ...l, host: "a" })),
      ...b.log.map((l) => ({ ...l, host: "b" })),
    ].sort((x, y) => x.start - y.start);
    for (let i = 0; i + 8 <= merged.length; i++) {
      const hosts = new Set(merged.slice(i, i + 8).map((m) => m.host));
      assert.equal(hosts.size, 2, `requests ${i}..${i + 7} all went to one host`);
    }
  });

  it("obeys robots.txt Crawl-delay and Disallow for its user agent", async () => {
    const s = await startServer(
      chain(10, (path) => ({
        robots:
          "User-agent: other\nDisallow: /\n\nUser-agent: aio\nDisallow: /p/5\nCrawl-delay: 0.1\n",
        delay: path === "/robots.txt" ? 0 : 0.01,
      })),
    );
    servers.push(s);
    const db = freshDb();
    const r = await runAio(["crawl", s.url, "--db", db, "--per-host", "4", "--json"], {
      env: { AIO_TRACE: `${db}.trace` },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(s.log[0]!.path, "/robots.txt");
    assert.equal(
      s.log.some((l) => l.path === "/p/5"),
      false,
      "disallowed page requested",
    );
    assertSpaced(s.log, readTrace(`${db}.trace`), s.origin, 100);
    const blocked = withDb(db, (d) =>
      d.prepare("SELECT url FROM pages WHERE outcome = 'blocked'").pluck().all(),
    );
    assert.deepEqual(blocked, [`${s.origin}/p/5`]);
    assert.equal(JSON.parse(r.stdout).counts.pages, 10);
  });

  it("treats an unreachable robots.txt (5xx) as disallow-all, and --no-robots ignores it", async () => {
    const s = await startServer((path) =>
      path === "/robots.txt" ? { status: 500 } : { body: page("x", ["/a", "/b"]) },
    );
    servers.push(s);
    const db = freshDb();
    const r = await runAio(["crawl", s.url, "--db", db, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      s.log.map((l) => l.path),
      ["/robots.txt"],
    );
    assert.equal(JSON.parse(r.stdout).counts.blocked, 1);
    assert.equal(
      withDb(db, (d) => d.prepare("SELECT error FROM pages").pluck().get()),
      "disallowed: robots.txt unreachable (HTTP 500), so everything is (RFC 9309)",
    );
    const before = s.log.length;
    const r2 = await runAio(["crawl", s.url, "--db", freshDb(), "--no-robots", "--json"]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.deepEqual(
      s.log
        .slice(before)
        .map((l) => l.path)
        .sort(),
      ["/", "/a", "/b"],
    );
  });

  it("records the pages of an unreachable host as failed and exits 1", async () => {
    const gone = await startServer(() => ({}));
    await gone.close();
    const db = freshDb();
    const r = await runAio(["crawl", gone.url, "--db", db, "--json", "--retries", "0"]);
    assert.equal(r.code, 1, r.stderr);
    const row = withDb(db, (d) => d.prepare("SELECT outcome, error FROM pages").get()) as {
      outcome: string;
      error: string;
    };
    assert.equal(row.outcome, "failed");
    assert.match(row.error, /^robots.txt unreachable: .*ECONNREFUSED/);
  });

  it("honours Retry-After on 429 for the whole host while other hosts continue", async () => {
    let hits = 0;
    const busy = await startServer((path) => {
      if (path === "/robots.txt") return { status: 404 };
      if (path === "/" && hits++ === 0) return { status: 429, headers: { "retry-after": "1" } };
      return { body: page("ok", path === "/" ? ["/x"] : []) };
    });
    const calm = await startServer(chain(8));
    servers.push(busy, calm);
    const db = freshDb();
    const r = await runAio(["crawl", busy.url, calm.url, "--db", db, "--json", "--no-robots"]);
    assert.equal(r.code, 0, r.stderr);
    const [first, second] = busy.log;
    assert.equal(first!.path, "/");
    assert.ok(
      second!.start - first!.end >= 950,
      `retried after ${(second!.start - first!.end).toFixed(0)} ms`,
    );
    assert.ok(
      calm.log.filter((l) => l.start > first!.end && l.start < second!.start).length >= 7,
      "the other host was served during the pause",
    );
    const attempts = withDb(db, (d) =>
      d.prepare("SELECT attempts FROM pages WHERE url = ?").pluck().get(busy.url),
    );
    assert.equal(attempts, 2);
  });

  it("follows a start URL that redirects to another origin, and crawls that origin", async () => {
    const target = await startServer(chain(3));
    const start = await startServer((path) => ({
      status: 301,
      headers: { location: `${target.origin}${path}` },
    }));
    servers.push(target, start);
    const db = freshDb();
    const r = await runAio(["crawl", start.url, "--db", db, "--no-robots", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const stored = withDb(db, (d) => d.prepare("SELECT url, outcome FROM pages").all()) as {
      url: string;
      outcome: string;
    }[];
    // Were the target out of scope (same-origin with the start URL), only the 301 would be stored.
    assert.deepEqual(
      stored
        .map(
          (p) =>
            `${p.url.startsWith(start.origin) ? "start" : "target"}${new URL(p.url).pathname} ${p.outcome}`,
        )
        .sort(),
      ["start/ redirect", "target/ ok", "target/p/1 ok", "target/p/2 ok"],
    );
  });

  it("stops at --max-depth and never requests a deeper page", async () => {
    const s = await startServer(chain(40));
    servers.push(s);
    const db = freshDb();
    const r = await runAio([
      "crawl",
      s.url,
      "--db",
      db,
      "--max-depth",
      "2",
      "--no-robots",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    // / links to /p/1..3 (depth 1), which link to /p/2..6 (depth 2); /p/7 and beyond are deeper.
    const stored = withDb(db, (d) =>
      d.prepare("SELECT url, depth FROM pages ORDER BY depth, url").all(),
    ) as {
      url: string;
      depth: number;
    }[];
    assert.deepEqual(
      stored.map((x) => `${new URL(x.url).pathname}@${x.depth}`),
      ["/@0", "/p/1@1", "/p/2@1", "/p/3@1", "/p/4@2", "/p/5@2", "/p/6@2"],
    );
    assert.deepEqual(s.log.map((l) => l.path).sort(), [
      "/",
      "/p/1",
      "/p/2",
      "/p/3",
      "/p/4",
      "/p/5",
      "/p/6",
    ]);
  });

  it("gives up after --retries and exits 1 when pages failed", async () => {
    const s = await startServer((path) =>
      path === "/" ? { body: page("x", ["/down"]) } : { status: 503 },
    );
    servers.push(s);
    const db = freshDb();
    const r = await runAio(["crawl", s.url, "--db", db, "--retries", "1", "--no-robots", "--json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(s.log.filter((l) => l.path === "/down").length, 2);
    const row = withDb(db, (d) =>
      d.prepare("SELECT status, error, outcome FROM pages WHERE url = ?").get(`${s.origin}/down`),
    );
    assert.deepEqual(row, { status: 503, error: "HTTP 503 after 2 attempts", outcome: "failed" });
  });

  it("caps response size and request time", async () => {
    const s = await startServer((path) => {
      if (path === "/") return { body: page("x", ["/big", "/slow"]) };
      if (path === "/big") return { body: "x".repeat(5000) };
      return { body: "late", delay: 3 };
    });
    servers.push(s);
    const db = freshDb();
    const r = await runAio([
      "crawl",
      s.url,
      "--db",
      db,
      "--max-size",
      "1k",
      "--timeout",
      "0.3",
      "--retries",
      "0",
      "--no-robots",
    ]);
    assert.equal(r.code, 1, r.stderr);
    const errors = withDb(db, (d) =>
      Object.fromEntries(
        (
          d.prepare("SELECT url, error FROM pages WHERE outcome = 'failed'").all() as {
            url: string;
            error: string;
          }[]
        ).map((x) => [new URL(x.url).pathname, x.error]),
      ),
    );
    assert.match(errors["/big"]!, /response too large: 5000 bytes > --max-size 1024/);
    assert.match(errors["/slow"]!, /timed out after 0.3 s/);
  });
});
