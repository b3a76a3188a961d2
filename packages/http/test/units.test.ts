import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { resolveRetry } from "../src/client/options.js";
import { backoffDelay, parseRetryAfter } from "../src/client/retry.js";
import { SlotPool } from "../src/client/slots.js";

test("SlotPool grants FIFO, skips waiters whose host is at its cap, and never over-grants", () => {
  const pool = new SlotPool(2, 1);
  const log: string[] = [];
  assert.equal(
    pool.acquire("a", () => log.push("a1")),
    null,
  );
  assert.equal(
    pool.acquire("b", () => log.push("b1")),
    null,
  );
  const a2 = pool.acquire("a", () => log.push("a2"));
  const c1 = pool.acquire("c", () => log.push("c1"));
  const a3 = pool.acquire("a", () => log.push("a3"));
  assert.ok(a2 && c1 && a3);
  assert.deepEqual(pool.statistics(), { active: 2, waiting: 3, hosts: 2 });
  pool.release("b"); // total has room: a2 is blocked by host a, c1 is served
  assert.deepEqual(log, ["c1"]);
  pool.cancel(a2!);
  pool.release("a"); // a3 is next for host a
  assert.deepEqual(log, ["c1", "a3"]);
  pool.release("c");
  pool.release("a");
  assert.deepEqual(pool.statistics(), { active: 0, waiting: 0, hosts: 0 });
});

test("property: SlotPool never exceeds its limits and every waiter is granted or cancelled exactly once", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 3 }),
      fc.array(
        fc.tuple(fc.constantFrom("acquire", "release", "cancel"), fc.constantFrom("a", "b", "c")),
        {
          maxLength: 60,
        },
      ),
      (limit, perHost, ops) => {
        const pool = new SlotPool(limit, perHost);
        const held: string[] = [];
        const waiting: { host: string; w: ReturnType<SlotPool["acquire"]>; granted: number }[] = [];
        const check = () => {
          assert.ok(held.length <= limit);
          if (perHost > 0)
            for (const h of "abc") assert.ok(held.filter((x) => x === h).length <= perHost);
          assert.equal(pool.statistics().active, held.length);
        };
        for (const [op, host] of ops) {
          if (op === "acquire") {
            const entry = { host, w: null as ReturnType<SlotPool["acquire"]>, granted: 0 };
            entry.w = pool.acquire(host, () => {
              entry.granted++;
              held.push(host);
            });
            if (entry.w === null) held.push(host);
            else waiting.push(entry);
          } else if (op === "release") {
            const i = held.indexOf(host);
            if (i >= 0) {
              held.splice(i, 1);
              pool.release(host);
            }
          } else {
            const e = waiting.find((x) => x.host === host && x.w?.state === "waiting");
            if (e) pool.cancel(e.w!);
          }
          check();
        }
        for (const e of waiting) {
          assert.ok(e.granted <= 1);
          assert.equal(e.granted === 1, e.w!.state === "granted");
        }
      },
    ),
  );
});

test("backoff grows by the factor up to maxBackoff; full jitter stays within [0, ceiling]", () => {
  const policy = resolveRetry("test", {
    attempts: 10,
    backoff: 0.5,
    factor: 2,
    maxBackoff: 3,
    jitter: false,
  });
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n)),
    [0.5, 1, 2, 3, 3],
  );
  const jittered = resolveRetry("test", { backoff: 1, factor: 2 });
  assert.equal(
    backoffDelay(jittered, 3, () => 0.25),
    1,
  );
  assert.equal(
    backoffDelay(jittered, 3, () => 0),
    0,
  );
});

test("Retry-After is read as seconds or as an HTTP date; garbage is ignored", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter({ "retry-after": "120" }, now), 120);
  assert.equal(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now), 30);
  assert.equal(parseRetryAfter({ "retry-after": "Wed, 31 Dec 2025 00:00:00 GMT" }, now), 0);
  assert.equal(parseRetryAfter({ "retry-after": "soon" }, now), null);
  assert.equal(parseRetryAfter({}, now), null);
});
