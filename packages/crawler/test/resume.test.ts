/**
 * Crash and interrupt safety, end to end: `kill -9` mid-crawl then resume; the first Ctrl-C
 * drains; the second stops at once. Checked in the store and in the server's request log.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  exited,
  page,
  runAio,
  spawnAio,
  startServer,
  type TestServer,
  tempDir,
  until,
  withDb,
} from "./helpers.js";

const tmp = tempDir();
after(tmp.cleanup);

/** `/` and `/p/1..count-1`, page i linking to the next four; every page takes `delay()` s. */
async function site(count: number, delay: () => number): Promise<TestServer> {
  return startServer((path) => {
    if (path === "/robots.txt") return { status: 404 };
    const i = path === "/" ? 0 : Number(path.slice(3));
    const links = [1, 2, 3, 4]
      .map((d) => i + d)
      .filter((j) => j < count)
      .map((j) => `/p/${j}`);
    return { body: page(`Page ${i}`, links), delay: delay() };
  });
}

const storedUrls = (db: string) =>
  withDb(db, (d) => d.prepare("SELECT url FROM pages").pluck().all() as string[]);
const count = (db: string, sql: string) =>
  withDb(db, (d) => d.prepare(sql).pluck().get() as number);

/** The server's log without robots.txt requests (one per run). */
const pagesRequested = (server: TestServer) => server.log.filter((l) => l.path !== "/robots.txt");

/** Every URL of the site stored exactly once; no URL requested again after it was stored. */
function assertExactlyOnce(db: string, server: TestServer, pages: number) {
  const urls = storedUrls(db);
  assert.equal(urls.length, pages);
  assert.equal(new Set(urls).size, pages);
  assert.equal(count(db, "SELECT COUNT(*) FROM frontier WHERE state != 2"), 0);
  assert.equal(count(db, "SELECT COUNT(*) FROM pages WHERE outcome != 'ok'"), 0);
  for (const l of pagesRequested(server)) {
    assert.ok(urls.includes(`${server.origin}${l.path}`), `${l.path} requested but not stored`);
  }
}

describe("resume", () => {
  it("after kill -9: every page stored exactly once, none fetched again after it was stored", async () => {
    const server = await site(60, () => 0.03);
    after(() => server.close());
    const db = join(tmp.dir, "killed.db");
    const args = ["crawl", server.url, "--db", db, "--per-host", "4", "--concurrency", "4"];
    const child = spawnAio(args);
    await until(() => {
      try {
        return count(db, "SELECT COUNT(*) FROM pages") >= 15;
      } catch {
        return false; // the store is being created
      }
    });
    child.kill("SIGKILL");
    const killed = await exited(child);
    assert.equal(killed.signal, "SIGKILL");
    const storedBeforeKill = new Set(storedUrls(db));
    assert.ok(
      storedBeforeKill.size >= 15 && storedBeforeKill.size < 60,
      `${storedBeforeKill.size} stored before kill`,
    );
    const leased = count(db, "SELECT COUNT(*) FROM frontier WHERE state = 1");
    const mark = server.log.length;

    const resumed = await runAio([...args, "--json"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = JSON.parse(resumed.stdout);
    assert.equal(summary.stored, 60 - storedBeforeKill.size);
    const again = server.log
      .slice(mark)
      .filter((l) => storedBeforeKill.has(`${server.origin}${l.path}`));
    assert.deepEqual(
      again.map((l) => l.path),
      [],
      "fetched again after it was stored",
    );
    assertExactlyOnce(db, server, 60);
    // A URL requested twice was requested by the killed run and not stored by it: in flight
    // at the kill, or stored in the last group commit (at most 20 ms of results) that the kill
    // cut off. Never more than twice.
    const perPath = new Map<string, number>();
    for (const l of pagesRequested(server)) perPath.set(l.path, (perPath.get(l.path) ?? 0) + 1);
    const firstRun = new Set(server.log.slice(0, mark).map((l) => l.path));
    for (const [p, n] of perPath) {
      if (n === 1) continue;
      assert.equal(n, 2, `${p} requested ${n} times`);
      assert.ok(
        firstRun.has(p) && !storedBeforeKill.has(`${server.origin}${p}`),
        `${p} requested again after it was stored`,
      );
    }
    assert.ok(leased <= 4, `${leased} URLs leased at the kill, more than --concurrency 4`);
  });

  it("resumes without start URLs from the store alone", async () => {
    const server = await site(12, () => 0);
    after(() => server.close());
    const db = join(tmp.dir, "resume-alone.db");
    const first = await runAio(["crawl", server.url, "--db", db, "--max-pages", "5", "--json"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).status, "max-pages");
    const second = await runAio(["crawl", "--db", db, "--json"]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(JSON.parse(second.stdout).status, "done");
    assertExactlyOnce(db, server, 12);
  });
});

describe("Ctrl-C", () => {
  it("the first drains the requests in flight, stores them and exits 130", async () => {
    let delay = 0.4;
    const server = await site(30, () => delay);
    after(() => server.close());
    const db = join(tmp.dir, "drain.db");
    const args = ["crawl", server.url, "--db", db, "--per-host", "4", "--no-robots"];
    const child = spawnAio(args);
    await until(() => server.log.length >= 3);
    const sentBeforeSigint = server.log.length;
    child.kill("SIGINT");
    const r = await exited(child);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGINT: finishing \d+ requests? in flight/);
    assert.match(r.stdout, /Interrupted crawl/);
    // Every request that reached the server finished and was stored; nothing is left leased.
    assert.ok(server.log.length <= sentBeforeSigint + 4);
    assert.equal(storedUrls(db).length, server.log.length);
    assert.equal(count(db, "SELECT COUNT(*) FROM frontier WHERE state = 1"), 0);
    assert.ok(
      count(db, "SELECT COUNT(*) FROM frontier WHERE state = 0") > 0,
      "the rest is still queued",
    );

    delay = 0;
    const resumed = await runAio([...args, "--json"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assertExactlyOnce(db, server, 30);
    assert.equal(
      new Set(server.log.map((l) => l.path)).size,
      server.log.length,
      "no URL requested twice",
    );
  });

  it("the second stops at once, the store stays consistent and resumes", async () => {
    let slow = true;
    const server = await site(20, () => (slow ? 5 : 0));
    after(() => server.close());
    const db = join(tmp.dir, "twice.db");
    const args = ["crawl", server.url, "--db", db, "--per-host", "4", "--no-robots"];
    const child = spawnAio(args);
    await until(() => server.log.length >= 1);
    const t0 = performance.now();
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    const r = await exited(child);
    assert.equal(r.code, 130, r.stderr);
    assert.ok(performance.now() - t0 < 3000, "exited long before the 5 s responses");
    assert.match(r.stderr, /stopped at once; the store is consistent/);
    assert.equal(storedUrls(db).length, 0);
    slow = false;
    const resumed = await runAio([...args, "--json"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assertExactlyOnce(db, server, 20);
  });

  it("aio fetch: the first drains, the second stops at once and speaks of no store", async () => {
    const server = await site(3, () => 5);
    after(() => server.close());
    const child = spawnAio(["fetch", "-", "--no-robots"]);
    child.stdin!.end(`${server.url}\n${server.origin}/p/1\n`);
    await until(() => server.log.length >= 2);
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGINT");
    const r = await exited(child);
    assert.equal(r.code, 130, r.stderr);
    assert.equal(
      r.stderr,
      "aio: SIGINT: finishing 2 requests in flight; press Ctrl-C again to stop at once\n" +
        "aio: SIGINT again: stopped at once; the requests in flight were dropped, their URLs not printed\n",
    );
    assert.equal(r.stdout, "");
  });
});
