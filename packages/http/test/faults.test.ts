import assert from "node:assert/strict";
import { test } from "node:test";
import { getRunningLoop, run } from "asyncio-ts";
import { VirtualClock } from "asyncio-ts/testing";
import {
  ClientConnectionError,
  ClientError,
  ClientPayloadError,
  ClientResponseError,
  ClientSession,
  ResponseTooLargeError,
  TooManyRedirectsError,
} from "../src/index.js";
import { text, withServer } from "./servers.js";

test("a connection reset before the response is a ClientConnectionError naming the URL, cause kept", async () => {
  await withServer(
    (req) => req.socket.destroy(),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        await assert.rejects(session.get(`${server.url}reset`), (e: unknown) => {
          assert.ok(e instanceof ClientConnectionError);
          assert.ok(e instanceof ClientError);
          assert.equal(e.url, `${server.url}reset`);
          assert.equal(e.method, "GET");
          assert.match(e.message, /reset/);
          assert.ok(e.cause instanceof Error, "the undici/socket error is the cause");
          return true;
        });
        // A fresh socket is not retried without a retry policy.
        assert.equal(server.hitCount("/reset"), 1);
      });
    },
  );
});

test("a refused connection is a ClientConnectionError whose cause has code ECONNREFUSED", async () => {
  // Find a port nobody listens on: open a server, note its port, close it.
  const port = await withServer(text(""), async (s) => Number(new URL(s.url).port));
  await run(async () => {
    await using session = new ClientSession();
    await assert.rejects(session.get(`http://127.0.0.1:${port}/`), (e: unknown) => {
      assert.ok(e instanceof ClientConnectionError);
      assert.equal((e.cause as { code?: string }).code, "ECONNREFUSED");
      return true;
    });
  });
});

test("a reset in the middle of the body is a ClientPayloadError for the reader", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("only part");
      setTimeout(() => res.socket?.destroy(), 20);
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const res = await session.get(server.url);
        await assert.rejects(res.text(), ClientPayloadError);
        assert.equal(session.statistics().activeConnections, 0);
      });
    },
  );
});

test("an endless body is cut at maxResponseSize with ResponseTooLargeError", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 120);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ maxResponseSize: 100_000 });
        const res = await session.get(server.url);
        await assert.rejects(res.bytes(), (e: unknown) => {
          assert.ok(e instanceof ResponseTooLargeError);
          assert.equal(e.limit, 100_000);
          assert.ok(e.received > 100_000 && e.received < 200_000, `received ${e.received}`);
          return true;
        });
        await server.waitForAbort();
      });
    },
  );
});

test("a content-length above maxResponseSize fails before any body is read", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200, { "content-length": String(10_000_000) });
      res.write("x");
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        await assert.rejects(session.get(server.url, { maxResponseSize: 1000 }), (e: unknown) => {
          assert.ok(e instanceof ResponseTooLargeError);
          assert.equal(e.received, 10_000_000);
          assert.match(e.message, /content-length announces/);
          return true;
        });
      });
    },
  );
});

test("a HEAD response announcing a large content-length is not too large: it has no body", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200, { "content-length": String(10_000_000) });
      res.end();
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ maxResponseSize: 1000 });
        const res = await session.head(server.url);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-length"), "10000000");
        assert.equal((await res.bytes()).length, 0);
      });
    },
  );
});

test("a redirect loop ends with TooManyRedirectsError listing the history", async () => {
  await withServer(
    (req, res) => {
      const next = req.url === "/a" ? "/b" : "/a";
      res.writeHead(302, { location: next });
      res.end();
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ maxRedirects: 3 });
        await assert.rejects(session.get(`${server.url}a`), (e: unknown) => {
          assert.ok(e instanceof TooManyRedirectsError);
          assert.equal(e.maxRedirects, 3);
          assert.deepEqual(
            e.history.map((u) => new URL(u).pathname),
            ["/a", "/b", "/a", "/b", "/a"],
          );
          return true;
        });
        assert.equal(server.hitCount("/a") + server.hitCount("/b"), 4);
        // Redirect bodies were drained, not dropped: one keep-alive connection served them all.
        assert.equal(server.connections, 1);
      });
    },
  );
});

test("redirects: 303 turns POST into GET, 307 repeats method and body, allowRedirects: false stops", async () => {
  await withServer(
    (req, res) => {
      if (req.url === "/see-other") return void res.writeHead(303, { location: "/target" }).end();
      if (req.url === "/temporary") return void res.writeHead(307, { location: "/target" }).end();
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => res.end(`${req.method} ${body}`));
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ baseUrl: server.url });
        const a = await session.post("see-other", { body: "payload" });
        assert.equal(await a.text(), "GET ");
        assert.equal(a.method, "GET");
        assert.deepEqual(a.redirects, [`${server.url}see-other`]);
        const b = await session.post("temporary", { body: "payload" });
        assert.equal(await b.text(), "POST payload");
        const c = await session.post("temporary", { body: "payload", allowRedirects: false });
        assert.equal(c.status, 307);
        assert.equal(c.headers.get("location"), "/target");
        c.release();
      });
    },
  );
});

test("credentials are not sent along a redirect to another origin", async () => {
  await withServer(
    (req, res) => res.end(JSON.stringify({ auth: req.headers.authorization ?? null })),
    async (other) => {
      await withServer(
        (req, res) => {
          if (req.url === "/away") return void res.writeHead(302, { location: other.url }).end();
          res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
        },
        async (server) => {
          await run(async () => {
            await using session = new ClientSession({
              headers: { authorization: "Bearer secret" },
            });
            assert.deepEqual(await (await session.get(`${server.url}here`)).json(), {
              auth: "Bearer secret",
            });
            assert.deepEqual(await (await session.get(`${server.url}away`)).json(), { auth: null });
          });
        },
      );
    },
  );
});

test("429 and 503 are retried after the Retry-After the server asks for", async () => {
  let calls = 0;
  await withServer(
    (_req, res) => {
      calls++;
      if (calls === 1) return void res.writeHead(429, { "retry-after": "7" }).end("slow down");
      if (calls === 2) return void res.writeHead(503, { "retry-after": "3" }).end("busy");
      res.end("finally");
    },
    async (server) => {
      await run(
        async () => {
          await using session = new ClientSession({ retry: { attempts: 3 } });
          const start = getRunningLoop().time();
          const res = await session.get(server.url);
          assert.equal(await res.text(), "finally");
          // The waits ran on the (virtual) loop clock: exactly 7 + 3 seconds.
          assert.equal(getRunningLoop().time() - start, 10);
          assert.equal(calls, 3);
        },
        { clock: new VirtualClock() },
      );
    },
  );
});

test("without Retry-After the backoff is exponential; the last response is returned when attempts run out", async () => {
  await withServer(text("down", 503), async (server) => {
    await run(
      async () => {
        await using session = new ClientSession({
          retry: { attempts: 4, backoff: 1, factor: 3, jitter: false },
        });
        const start = getRunningLoop().time();
        const res = await session.get(server.url);
        assert.equal(res.status, 503);
        assert.equal(await res.text(), "down");
        assert.equal(getRunningLoop().time() - start, 1 + 3 + 9);
        assert.equal(server.hitCount("/"), 4);
      },
      { clock: new VirtualClock() },
    );
  });
});

test("POST is not retried (not idempotent), and raiseForStatus turns the 503 into ClientResponseError", async () => {
  await withServer(text("down", 503), async (server) => {
    await run(async () => {
      await using session = new ClientSession({ retry: 5, raiseForStatus: true });
      await assert.rejects(session.post(server.url, { body: "x" }), (e: unknown) => {
        assert.ok(e instanceof ClientResponseError);
        assert.equal(e.status, 503);
        assert.equal(e.url, server.url);
        assert.equal(e.statusText, "Service Unavailable");
        return true;
      });
      assert.equal(server.hitCount("/"), 1);
    });
  });
});

test("a retried connection failure succeeds on a later attempt", async () => {
  let calls = 0;
  await withServer(
    (req, res) => {
      calls++;
      if (calls < 3) return void req.socket.destroy();
      res.end("recovered");
    },
    async (server) => {
      await run(
        async () => {
          await using session = new ClientSession({ retry: { attempts: 3, backoff: 0.5 } });
          assert.equal(await (await session.get(server.url)).text(), "recovered");
          assert.equal(calls, 3);
        },
        { clock: new VirtualClock() },
      );
    },
  );
});

test("a stale keep-alive socket (closed by the server as we reuse it) is retried once, at once", async () => {
  const perSocket = new WeakMap<object, number>();
  await withServer(
    (req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      // The second request on a connection finds it closed, as after a server's idle timeout.
      if (n >= 2) return void req.socket.destroy();
      res.end(`served ${req.url}`);
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession(); // no retry policy
        assert.equal(await (await session.get(`${server.url}one`)).text(), "served /one");
        assert.equal(await (await session.get(`${server.url}two`)).text(), "served /two");
        assert.equal(server.hitCount("/two"), 2, "sent on the reused socket, then once more");
        assert.equal(server.connections, 2);
        // Not for POST: repeating it could do its effect twice.
        await assert.rejects(
          session.post(`${server.url}three`, { body: "x" }),
          ClientConnectionError,
        );
      });
    },
  );
});

test("json() of a body that is not JSON is a ClientPayloadError with the SyntaxError as cause", async () => {
  await withServer(text("<html>"), async (server) => {
    await run(async () => {
      await using session = new ClientSession();
      const res = await session.get(server.url);
      await assert.rejects(res.json(), (e: unknown) => {
        assert.ok(e instanceof ClientPayloadError);
        assert.ok(e.cause instanceof SyntaxError);
        assert.match(e.message, /not valid JSON/);
        return true;
      });
    });
  });
});
