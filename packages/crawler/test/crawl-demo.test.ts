/** End-to-end: the `aio` binary crawling the demo site, checked in the store and the server log. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type DemoSite, startDemoSite } from "../src/demo-site.js";
import { readTrace, runAio, tempDir, withDb } from "./helpers.js";

const tmp = tempDir();
after(tmp.cleanup);

describe("aio crawl on the demo site", () => {
  let site: DemoSite;
  let db: string;
  let result: Awaited<ReturnType<typeof runAio>>;
  before(async () => {
    site = await startDemoSite({ pages: 15, slowDelay: 0.05, crawlDelay: 0.05 });
    db = join(tmp.dir, "demo.db");
    result = await runAio(["crawl", site.url, "--db", db, "--json", "--per-host", "3"], {
      env: { AIO_TRACE: `${db}.trace` },
    });
  });
  after(() => site.close());

  const path = (url: string) => new URL(url).pathname;
  const rows = () =>
    withDb(
      db,
      (d) => d.prepare("SELECT * FROM pages").all() as Record<string, string | number | null>[],
    );
  const byPath = () => new Map(rows().map((r) => [path(r.url as string), r]));

  it("exits 0 and prints a JSON summary on stdout", () => {
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.status, "done");
    assert.equal(summary.exitCode, 0);
    assert.equal(summary.counts.pages, rows().length);
    assert.equal(summary.counts.failed, 0);
    assert.equal(summary.counts.queued, 0);
    assert.equal(summary.hosts[0].crawlDelay, 0.05);
  });

  it("stores every reachable page exactly once, and nothing unreachable", () => {
    const paths = rows().map((r) => path(r.url as string));
    assert.equal(new Set(paths).size, paths.length);
    const expected = [
      "/",
      ...Array.from({ length: 15 }, (_, i) => `/page/${i + 1}`),
      "/about",
      "/docs/",
      "/docs/guide",
      "/old-home",
      "/redirect/step",
      "/private/secret",
      "/files/data.csv",
      "/missing",
      "/missing-13",
      "/flaky",
      "/unstable",
    ];
    assert.deepEqual(paths.sort(), expected.sort());
  });

  it("fetches robots.txt first and never requests a disallowed or nofollow URL", () => {
    assert.equal(site.requests[0]!.path, "/robots.txt");
    const requested = site.requests.map((r) => r.path);
    for (const p of ["/private/secret", "/nofollowed", "/orphan"])
      assert.equal(requested.includes(p), false, p);
    const secret = byPath().get("/private/secret")!;
    assert.deepEqual(
      [secret.outcome, secret.status, secret.error],
      ["blocked", null, "disallowed by robots.txt"],
    );
    assert.match(site.requests[0]!.userAgent, /^aio\//);
  });

  it("records titles, redirects, errors, non-HTML, noindex and retries", () => {
    const pages = byPath();
    assert.equal(pages.get("/")!.title, "asyncio-ts demo site");
    assert.equal(pages.get("/page/7")!.title, "Demo page 7");
    assert.deepEqual(
      [pages.get("/old-home")!.status, path(pages.get("/old-home")!.redirect_to as string)],
      [301, "/redirect/step"],
    );
    assert.deepEqual(
      [
        pages.get("/redirect/step")!.status,
        path(pages.get("/redirect/step")!.redirect_to as string),
      ],
      [302, "/about"],
    );
    assert.deepEqual(
      [pages.get("/missing")!.status, pages.get("/missing")!.outcome],
      [404, "http-error"],
    );
    const csv = pages.get("/files/data.csv")!;
    assert.deepEqual([csv.status, csv.content_type, csv.title], [200, "text/csv", null]);
    assert.equal(pages.get("/page/6")!.noindex, 1);
    assert.deepEqual([pages.get("/flaky")!.status, pages.get("/flaky")!.attempts], [200, 2]);
    assert.deepEqual([pages.get("/unstable")!.status, pages.get("/unstable")!.attempts], [200, 3]);
    assert.equal(path(pages.get("/page/3")!.canonical as string), "/page/3");
  });

  it("honours Retry-After: the host gets no new request for 1 s after the 503", () => {
    // Requests already sent before the 503 reached the crawler may still arrive just after it
    // was answered (per-host 3), hence the 60 ms allowance at the start of the window.
    const flaky = site.requests.find((r) => r.path === "/flaky")!;
    const inWindow = site.requests.filter(
      (r) => r.start > flaky.end + 60 && r.start < flaky.end + 950,
    );
    assert.deepEqual(
      inWindow.map((r) => `${r.path} at +${(r.start - flaky.end).toFixed(0)} ms`),
      [],
    );
    const retried = site.requests.filter((r) => r.path === "/flaky")[1]!;
    assert.ok(
      retried.start - flaky.end >= 950,
      `retried after ${(retried.start - flaky.end).toFixed(0)} ms`,
    );
  });

  it("spaces request starts by Crawl-delay", () => {
    // Exact on the crawler's dispatch times; on average at the server, whose arrival times
    // carry jitter (see politeness.test.ts). The first arrival includes the client's cold start.
    const sent = readTrace(`${db}.trace`).map((t) => t.t);
    const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
    assert.ok(Math.min(...gaps) >= 49, `dispatch gaps: ${gaps.map((g) => g.toFixed(0)).join(" ")}`);
    const arrivals = site.requests
      .map((r) => r.start)
      .sort((a, b) => a - b)
      .slice(1);
    const span = arrivals[arrivals.length - 1]! - arrivals[0]!;
    assert.ok(
      span >= (arrivals.length - 1) * 50 - 30,
      `${arrivals.length} arrivals in ${span.toFixed(0)} ms`,
    );
  });

  it("keeps the link graph, including links it did not follow", () => {
    const links = withDb(db, (d) =>
      d.prepare("SELECT to_url, nofollow FROM links WHERE from_url = ?").all(site.url),
    ) as {
      to_url: string;
      nofollow: number;
    }[];
    assert.ok(links.some((l) => l.to_url === "http://example.invalid/"));
    assert.ok(links.some((l) => path(l.to_url) === "/nofollowed" && l.nofollow === 1));
  });

  it("exports JSON lines and CSV", async () => {
    const jsonl = await runAio(["export", "--db", db]);
    assert.equal(jsonl.code, 0);
    const lines = jsonl.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, rows().length);
    assert.deepEqual(Object.keys(lines[0]).slice(0, 6), [
      "url",
      "status",
      "title",
      "depth",
      "error",
      "fetched_at",
    ]);
    const csv = await runAio(["export", "--db", db, "--format", "csv"]);
    const csvLines = csv.stdout.trimEnd().split("\r\n");
    assert.equal(
      csvLines[0],
      "url,status,title,depth,error,fetched_at,outcome,content_type,bytes,elapsed,redirect_to,canonical,noindex,attempts",
    );
    assert.equal(csvLines.length, rows().length + 1);
    assert.ok(csvLines.some((l) => l.includes('"Flaky, but fine now"')));
  });

  it("a second run on the same store fetches nothing again", async () => {
    const before = site.requests.length;
    const again = await runAio(["crawl", site.url, "--db", db, "--json"]);
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout);
    assert.equal(summary.stored, 0);
    // Nothing is queued, so not even robots.txt is requested.
    assert.deepEqual(
      site.requests.slice(before).map((r) => r.path),
      [],
    );
  });
});

describe("aio fetch", () => {
  it("fetches a list once each, follows redirects but not links, JSON lines on stdout", async () => {
    const site = await startDemoSite({ pages: 5, crawlDelay: 0 });
    after(() => site.close());
    const list = join(tmp.dir, "urls.txt");
    writeFileSync(
      list,
      `# a comment\n${site.url}page/2\n\n${site.url}old-home\n${site.url}missing\n${site.url}page/2#dup\n`,
    );
    const r = await runAio(["fetch", list]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as { url: string; status: number; title: string | null; outcome: string },
      );
    const got = rows.map((x) => [new URL(x.url).pathname, x.status, x.outcome]).sort();
    assert.deepEqual(got, [
      ["/about", 200, "ok"],
      ["/missing", 404, "http-error"],
      ["/old-home", 301, "redirect"],
      ["/page/2", 200, "ok"],
      ["/redirect/step", 302, "redirect"],
    ]);
    assert.match(
      r.stderr,
      /aio fetch: 5 URLs in [\d.]+ s: 2 ok, 2 redirected, 1 HTTP error, 0 failed/,
    );
    const paths = site.requests.map((x) => x.path).filter((p) => p !== "/robots.txt");
    assert.equal(paths.includes("/page/3"), false, "links are not followed");
    const viaStdin = await runAio(["fetch", "-"], { input: `${site.url}page/1\n` });
    assert.equal(viaStdin.code, 0, viaStdin.stderr);
    assert.equal(JSON.parse(viaStdin.stdout).title, "Demo page 1");
  });
});

describe("aio crawl --demo", () => {
  it("crawls the built-in demo site and starts fresh on every run", async () => {
    const db = join(tmp.dir, "builtin.db");
    const first = await runAio(["crawl", "--demo", "--db", db, "--json"]);
    assert.equal(first.code, 0, first.stderr);
    const a = JSON.parse(first.stdout);
    assert.equal(a.status, "done");
    assert.ok(a.counts.pages >= 50, `pages ${a.counts.pages}`);
    // A second run starts fresh: were it resuming, the store would already hold 50+ pages.
    const second = await runAio(["crawl", "--demo", "--db", db, "--json", "--max-pages", "5"]);
    const b = JSON.parse(second.stdout);
    assert.deepEqual([b.status, b.counts.pages, b.stored], ["max-pages", 5, 5]);
  });

  it("refuses to resume or extend a demo store, which the next --demo would erase", async () => {
    const db = join(tmp.dir, "demo-kept.db");
    const demo = await runAio(["crawl", "--demo", "--db", db, "--max-pages", "3"]);
    assert.equal(demo.code, 0, demo.stderr);
    const refusal =
      /^aio: --db .*demo-kept\.db holds a demo crawl, which cannot be resumed or extended \(the demo site listens on a new port every run\); give another --db, or run 'aio crawl --demo' again\n$/;
    for (const args of [["http://127.0.0.1:9/"], []]) {
      const r = await runAio(["crawl", ...args, "--db", db]);
      assert.equal(r.code, 2, `aio crawl ${args.join(" ")} --db <demo store>: ${r.stderr}`);
      assert.match(r.stderr, refusal);
      assert.equal(r.stdout, "");
    }
    const pages = withDb(db, (d) => d.prepare("SELECT url FROM pages").pluck().all() as string[]);
    assert.equal(pages.length, 3, "the demo crawl is kept as it was");
    assert.ok(pages.every((url) => !url.startsWith("http://127.0.0.1:9/")));
  });
});
