import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { HostRing } from "../src/hosts.js";
import { ALLOW_ALL } from "../src/robots.js";

/** A ring whose hosts have robots.txt loaded already. */
function ring(hosts: string[], perHost: number, rate = 0, admit?: (h: string) => boolean) {
  const r = new HostRing(perHost, rate, admit);
  for (const h of hosts) {
    r.add(h, h);
    r.setRobots(r.state(h, h), ALLOW_ALL);
  }
  return r;
}

describe("HostRing", () => {
  it("asks for robots.txt first, then serves the host", () => {
    const r = new HostRing(2, 0);
    r.add("a", "a");
    const first = r.pick(0, () => "yes");
    assert.equal(first.kind, "robots");
    r.setRobots(r.state("a", "a"), ALLOW_ALL);
    assert.equal(r.pick(0, () => "yes").kind, "url");
  });

  it("drops a host with nothing queued and reports idle", () => {
    const r = ring(["a"], 1);
    assert.deepEqual(
      r.pick(0, () => "none"),
      { kind: "idle" },
    );
    assert.equal(r.size, 0);
  });

  it("waits for Crawl-delay and Retry-After, reporting the earliest ready time", () => {
    const r = new HostRing(4, 0);
    r.add("a", "a");
    const a = r.state("a", "a");
    r.started(a, 0); // robots.txt at t=0
    r.finished(a);
    r.setRobots(a, { ...ALLOW_ALL, crawlDelay: 0.5 });
    assert.deepEqual(
      r.pick(0.1, () => "yes"),
      { kind: "wait", until: 0.5 },
    );
    r.backoff(a, 0.2, 2);
    assert.deepEqual(
      r.pick(0.6, () => "yes"),
      { kind: "wait", until: 2.2 },
    );
    assert.equal(r.pick(2.2, () => "yes").kind, "url");
  });

  it("asks the rate limiter last, and again one interval after the last start", () => {
    let grants = 0;
    const r = ring(["a"], 4, 10, () => grants++ === 0);
    const a = r.state("a", "a");
    const first = r.pick(1, () => "yes");
    assert.equal(first.kind, "url");
    r.started(a, 1);
    assert.deepEqual(
      r.pick(1.01, () => "yes"),
      { kind: "wait", until: 1.1 },
    );
  });

  it("never exceeds --per-host, honours pacing, and serves every ready host in rotation (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.oneof(fc.constant("pick" as const), fc.integer({ min: 0, max: 5 })), {
          maxLength: 80,
        }),
        (hostCount, perHost, ops) => {
          const names = Array.from({ length: hostCount }, (_, i) => `h${i}`);
          const r = ring(names, perHost);
          const inFlight = new Map(names.map((n) => [n, 0]));
          const lastPick = new Map<string, number>();
          let now = 0;
          let picks = 0;
          for (const op of ops) {
            now += 0.01;
            if (op === "pick") {
              const p = r.pick(now, () => "yes");
              if (p.kind !== "url") {
                // Nothing ready: then every host is full.
                assert.ok(names.every((n) => inFlight.get(n)! >= perHost));
                continue;
              }
              const h = p.host.host;
              assert.ok(inFlight.get(h)! < perHost, `${h} over --per-host`);
              // Rotation: a host picked again has seen every other ready host picked since.
              const since = lastPick.get(h);
              if (since !== undefined) {
                for (const other of names) {
                  if (other === h || inFlight.get(other)! >= perHost) continue;
                  assert.ok(
                    (lastPick.get(other) ?? -1) > since,
                    `${other} skipped while ${h} went twice`,
                  );
                }
              }
              lastPick.set(h, picks++);
              r.started(p.host, now);
              inFlight.set(h, inFlight.get(h)! + 1);
            } else {
              const h = names[op % hostCount]!;
              if (inFlight.get(h)! > 0) {
                r.finished(r.state(h, h));
                inFlight.set(h, inFlight.get(h)! - 1);
              }
            }
          }
        },
      ),
    );
  });
});
