import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import fc from "fast-check";
import { CrawlStore, type FrontierEntry, type PageRecord } from "../src/store.js";
import { StoreError } from "../src/store-open.js";
import { tempDir, withDb } from "./helpers.js";

const tmp = tempDir();
after(tmp.cleanup);
let n = 0;
const dbPath = () => join(tmp.dir, `s${n++}.db`);

function record(entry: FrontierEntry): PageRecord {
  return {
    url: entry.url,
    status: 200,
    title: "t",
    depth: entry.depth,
    error: null,
    fetched_at: new Date().toISOString(),
    outcome: "ok",
    content_type: "text/html",
    bytes: 1,
    elapsed: 0.01,
    redirect_to: null,
    canonical: null,
    noindex: 0,
    attempts: 1,
  };
}

const H = "http://h.test";
const url = (i: number) => ({ url: `${H}/${i}`, host: H, depth: 0, hops: 0 });

function fingerprint(path: string) {
  return {
    sha: createHash("sha256").update(readFileSync(path)).digest("hex"),
    mtime: statSync(path).mtimeMs,
    wal: existsSync(`${path}-wal`),
    shm: existsSync(`${path}-shm`),
  };
}

describe("CrawlStore.open refuses what is not a crawl store, without touching it", () => {
  it("a text file", () => {
    const p = dbPath();
    writeFileSync(p, "important notes\n");
    const before = fingerprint(p);
    assert.throws(
      () => CrawlStore.open(p),
      (e: Error) => e instanceof StoreError && /not a crawl store/.test(e.message),
    );
    assert.deepEqual(fingerprint(p), before);
  });

  it("another application's SQLite database", () => {
    const p = dbPath();
    const other = new Database(p);
    other.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');",
    );
    other.close();
    const before = fingerprint(p);
    assert.throws(() => CrawlStore.open(p), /SQLite database but not a crawl store/);
    assert.deepEqual(fingerprint(p), before);
  });

  it("a directory, and a path in a missing directory", () => {
    assert.throws(() => CrawlStore.open(tmp.dir), /is a directory/);
    const missing = join(tmp.dir, "no-such-dir", "x.db");
    assert.throws(() => CrawlStore.open(missing), /not writable: directory .* does not exist/);
    assert.equal(existsSync(join(tmp.dir, "no-such-dir")), false);
  });

  it("a store owned by another live process", () => {
    const p = dbPath();
    CrawlStore.open(p).close();
    const db = new Database(p);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('owner', ?)").run(
      `${hostname()}:${process.ppid}:x`,
    );
    db.close();
    assert.throws(() => CrawlStore.open(p), /in use by another aio process/);
  });

  it("a store of a newer schema version", () => {
    const p = dbPath();
    CrawlStore.open(p).close();
    const db = new Database(p);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'version'").run();
    db.close();
    assert.throws(() => CrawlStore.open(p), /schema version 99/);
  });
});

describe("CrawlStore frontier and leases", () => {
  it("queues each URL once and hands out shallowest-first, then FIFO", () => {
    const s = CrawlStore.open(":memory:");
    assert.equal(s.addUrls([url(1), url(2), url(1)]), 2);
    assert.equal(
      s.addUrls([
        { ...url(0), depth: 0 },
        { ...url(1), depth: 5 },
      ]),
      1,
    );
    s.addUrls([{ url: `${H}/deep`, host: H, depth: 3, hops: 0 }]);
    const order: string[] = [];
    for (;;) {
      const e = s.nextQueued(H, Date.now() / 1000);
      if (!e) break;
      assert.equal(s.lease(e), true);
      order.push(e.url);
    }
    assert.deepEqual(order, [`${H}/1`, `${H}/2`, `${H}/0`, `${H}/deep`]);
    s.close();
  });

  it("stores a page exactly once: a second complete() and a second lease() fail", () => {
    const s = CrawlStore.open(":memory:");
    s.addUrls([url(1)]);
    const e = s.nextQueued(H, Date.now() / 1000)!;
    assert.equal(s.lease(e), true);
    assert.equal(s.lease(e), false);
    s.complete(e, record(e), [{ to: `${H}/2`, nofollow: false, kind: "a" }], [url(2)]);
    assert.throws(() => s.complete(e, record(e), [], []), /lease on .* lost/);
    assert.equal(s.lease(e), false);
    assert.deepEqual(
      { pages: s.counts().pages, queued: s.counts().queued },
      { pages: 1, queued: 1 },
    );
    s.close();
  });

  it("respects not_before when a URL is requeued for a retry", () => {
    const s = CrawlStore.open(":memory:");
    s.addUrls([url(1)]);
    const now = Date.now() / 1000;
    const e = s.nextQueued(H, now)!;
    s.lease(e);
    s.requeue(e, 1, now + 100);
    assert.equal(s.nextQueued(H, now), undefined);
    assert.equal(s.earliestDue(H), now + 100);
    assert.equal(s.nextQueued(H, now + 101)?.attempts, 1);
    s.close();
  });

  it("returns a killed owner's leases to the queue on the next open", () => {
    const p = dbPath();
    const s = CrawlStore.open(p);
    s.addUrls([url(1), url(2)]);
    const e1 = s.nextQueued(H, Date.now() / 1000)!;
    s.lease(e1);
    s.complete(e1, record(e1), [], []);
    const e2 = s.nextQueued(H, Date.now() / 1000)!;
    s.lease(e2);
    // Simulates kill -9: no close(), the owner row stays behind.
    s.db.close();
    const again = CrawlStore.open(p);
    const c = again.counts();
    assert.deepEqual(
      { pages: c.pages, queued: c.queued, leased: c.leased },
      { pages: 1, queued: 1, leased: 0 },
    );
    assert.equal(again.nextQueued(H, Date.now() / 1000)?.url, e2.url);
    again.close();
  });
});

describe("CrawlStore group commit", () => {
  it("shares one COMMIT between writes; a crash loses only uncommitted results, atomically", () => {
    const p = dbPath();
    const s = CrawlStore.open(p, { groupCommit: 60 });
    s.addUrls([url(1), url(2), url(3)]);
    const take = () => {
      const e = s.nextQueued(H, Date.now() / 1000)!;
      assert.equal(s.lease(e), true);
      return e;
    };
    const e1 = take();
    s.complete(e1, record(e1), [], [url(10)]);
    assert.equal(s.counts().pages, 1, "the store sees its own uncommitted writes");
    const outside = () => withDb(p, (d) => d.prepare("SELECT COUNT(*) FROM pages").pluck().get());
    assert.equal(outside(), 0, "other readers do not see them yet");
    s.flush();
    assert.equal(outside(), 1);
    const e2 = take();
    s.complete(e2, record(e2), [], [url(11)]);
    // Simulates kill -9 with e2 stored but not committed: it is lost, and fetched again later.
    s.db.close();
    const again = CrawlStore.open(p);
    const urls = again.db.prepare("SELECT url FROM pages").pluck().all();
    assert.deepEqual(urls, [e1.url]);
    const queued = again.db
      .prepare("SELECT url FROM frontier WHERE state = 0 ORDER BY seq")
      .pluck()
      .all();
    assert.deepEqual(queued, [`${H}/2`, `${H}/3`, `${H}/10`]);
    again.close();
  });
});

describe("CrawlStore invariant under crashes (property)", () => {
  it("pages rows = done frontier rows, each URL stored once, a stored URL never leased again", () => {
    type Op =
      | { kind: "discover"; n: number }
      | { kind: "lease" }
      | { kind: "complete" }
      | { kind: "crash" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("discover" as const), n: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant("lease" as const) }),
      fc.record({ kind: fc.constant("complete" as const) }),
      fc.record({ kind: fc.constant("crash" as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const p = dbPath();
        let s = CrawlStore.open(p);
        let leased: FrontierEntry[] = [];
        const stored = new Set<string>();
        for (const o of ops) {
          if (o.kind === "discover") s.addUrls([url(o.n)]);
          else if (o.kind === "lease") {
            const e = s.nextQueued(H, Date.now() / 1000);
            if (e) {
              assert.equal(
                stored.has(e.url),
                false,
                `${e.url} handed out again after it was stored`,
              );
              assert.equal(s.lease(e), true);
              leased.push(e);
            }
          } else if (o.kind === "complete") {
            const e = leased.shift();
            if (e) {
              s.complete(e, record(e), [], [url(e.seq + 1)]);
              stored.add(e.url);
            }
          } else {
            s.db.close();
            s = CrawlStore.open(p);
            leased = [];
          }
        }
        const rows = s.db.prepare("SELECT url FROM pages").pluck().all() as string[];
        const done = s.db
          .prepare("SELECT url FROM frontier WHERE state = 2")
          .pluck()
          .all() as string[];
        assert.deepEqual(new Set(rows), stored);
        assert.equal(rows.length, stored.size);
        assert.deepEqual(new Set(done), stored);
        s.close();
      }),
      { numRuns: 30 },
    );
  });
});
