import assert from "node:assert/strict";
import { test } from "node:test";
import { gather, run } from "asyncio-ts";
import { ClientSession } from "../src/index.js";
import { later, type TestServer, withServer } from "./servers.js";

/** Answers after `ms`, so that concurrent requests overlap on the server. */
function slowly(ms: number) {
  return (_req: unknown, res: { end(s: string): void }) => later(ms, () => res.end("ok"));
}

/** Fires `n` GETs at once through `session` and waits for all bodies. */
async function burst(session: ClientSession, server: TestServer, n: number): Promise<string[]> {
  return gather(
    ...Array.from(
      { length: n },
      (_, i) => async () => (await session.get(`${server.url}${i}`)).text(),
    ),
  );
}

test("limitPerHost caps the connections one server sees at once", async () => {
  await withServer(slowly(30), async (server) => {
    await run(async () => {
      await using session = new ClientSession({ limitPerHost: 3 });
      const bodies = await burst(session, server, 12);
      assert.equal(bodies.length, 12);
      assert.equal(server.maxOpenConnections, 3);
    });
  });
});

test("limit caps the connections in use across hosts, and limitPerHost still applies per host", async () => {
  await withServer(slowly(30), async (a) => {
    await withServer(slowly(30), async (b) => {
      await run(async () => {
        await using session = new ClientSession({ limit: 4, limitPerHost: 3 });
        let peak = 0;
        const sample = setInterval(() => {
          // Connections in use = requests being answered (idle keep-alive ones do not count,
          // as in aiohttp).
          peak = Math.max(peak, a.activeRequests + b.activeRequests);
          assert.ok(session.statistics().activeConnections <= 4);
        }, 2);
        try {
          await gather(
            () => burst(session, a, 8),
            () => burst(session, b, 8),
          );
        } finally {
          clearInterval(sample);
        }
        assert.ok(a.maxOpenConnections <= 3, `host a saw ${a.maxOpenConnections}`);
        assert.ok(b.maxOpenConnections <= 3, `host b saw ${b.maxOpenConnections}`);
        assert.ok(peak <= 4, `both hosts together saw ${peak} requests at once`);
        assert.ok(Math.max(a.maxActiveRequests, b.maxActiveRequests) >= 2, "requests overlapped");
        assert.ok(a.hitCount("/0") === 1 && b.hitCount("/7") === 1);
      });
    });
  });
});

test("a host at its cap does not hold up requests to another host (no head-of-line blocking)", async () => {
  await withServer(slowly(400), async (slow) => {
    await withServer(slowly(0), async (fast) => {
      await run(async () => {
        await using session = new ClientSession({ limit: 10, limitPerHost: 1 });
        const order: string[] = [];
        const get = async (server: TestServer, name: string, path: string) => {
          await (await session.get(`${server.url}${path}`)).text();
          order.push(name);
        };
        // Two requests to the slow host: the second waits for the first's slot. The fast host's
        // request, queued after it, is served at once.
        await gather(
          () => get(slow, "slow-1", "1"),
          () => get(slow, "slow-2", "2"),
          () => get(fast, "fast", "x"),
        );
        assert.deepEqual(order, ["fast", "slow-1", "slow-2"]);
      });
    });
  });
});
