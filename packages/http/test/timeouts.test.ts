import assert from "node:assert/strict";
import { test } from "node:test";
import { run, TimeoutError, timeout } from "asyncio-ts";
import {
  ClientConnectionError,
  ClientSession,
  ClientTimeoutError,
  type TimeoutPhase,
} from "../src/index.js";
import { later, withServer } from "./servers.js";

/** Asserts that `promise` rejects with a ClientTimeoutError of `phase` naming `url`. */
async function rejectsWithPhase(promise: Promise<unknown>, phase: TimeoutPhase, url: string) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof ClientTimeoutError, `expected ClientTimeoutError, got ${e}`);
    assert.ok(e instanceof TimeoutError, "a ClientTimeoutError is an asyncio-ts TimeoutError");
    assert.equal(e.name, "TimeoutError");
    assert.equal(e.phase, phase);
    assert.equal(e.url, url);
    assert.match(e.message, new RegExp(`timeout\\.${phase}`));
    return true;
  });
}

test("slow headers: sockRead expires while waiting for the response head", async () => {
  await withServer(
    (_req, res) => later(2000, () => res.end("late")),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ timeout: { sockRead: 0.1 } });
        await rejectsWithPhase(session.get(server.url), "sockRead", server.url);
        await server.waitForAbort();
      });
    },
  );
});

test("slow body: sockRead expires between two chunks, and the reader sees it", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      res.write("first chunk");
      later(2000, () => res.end("never in time"));
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ timeout: { sockRead: 0.1 } });
        const res = await session.get(server.url);
        assert.equal(res.status, 200);
        await rejectsWithPhase(res.text(), "sockRead", server.url);
        assert.equal(session.statistics().activeConnections, 0);
      });
    },
  );
});

test("total covers the body: a body that trickles forever hits timeout.total", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      const tick = setInterval(() => (res.destroyed ? clearInterval(tick) : res.write(".")), 10);
      tick.unref();
    },
    async (server) => {
      await run(async () => {
        // sockRead would never fire (a byte every 10 ms); total does.
        await using session = new ClientSession({ timeout: { total: 0.2, sockRead: 1 } });
        const res = await session.get(server.url);
        await rejectsWithPhase(res.text(), "total", server.url);
      });
    },
  );
});

test("connect includes the wait for a pool slot", async () => {
  await withServer(
    (_req, res) => later(2000, () => res.end("slow")),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ limit: 1, timeout: { connect: 0.1 } });
        // The first request takes the only slot and waits for its slow response...
        const first = session.get(server.url, { timeout: { total: 5 } }).catch((e: unknown) => e);
        // ...so the second one times out in the "connect" phase while waiting for a slot.
        await rejectsWithPhase(
          session.get(`${server.url}second`),
          "connect",
          `${server.url}second`,
        );
        assert.equal(server.hitCount("/second"), 0, "the second request never reached the server");
        assert.equal(session.statistics().waiting, 0);
        await session.close();
        const outcome = await first;
        assert.ok(
          outcome instanceof ClientConnectionError,
          `closing fails the request in flight: ${outcome}`,
        );
        assert.match(outcome.message, /session was closed/);
      });
    },
  );
});

test("a per-request timeout overrides the session's", async () => {
  await withServer(
    (_req, res) => later(300, () => res.end("ok")),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ timeout: { sockRead: 0.05 } });
        const res = await session.get(server.url, { timeout: { sockRead: null } });
        assert.equal(await res.text(), "ok");
      });
    },
  );
});

test("an asyncio-ts timeout() scope around a request aborts it and raises TimeoutError", async () => {
  await withServer(
    (_req, res) => later(2000, () => res.end("late")),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        await assert.rejects(
          timeout(0.1, () => session.get(server.url)),
          (e: unknown) => e instanceof TimeoutError && !(e instanceof ClientTimeoutError),
        );
        // The server sees the connection go away: the request was really aborted.
        await server.waitForAbort();
        assert.equal(session.statistics().inFlight, 0);
        assert.equal(session.statistics().activeConnections, 0);
      });
    },
  );
});
