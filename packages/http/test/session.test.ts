import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gather, getRunningLoop, RuntimeError, run, sleep } from "asyncio-ts";
import {
  ClientConnectionError,
  ClientResponse,
  ClientSession,
  ResponseHeaders,
} from "../src/index.js";
import { type serve, type TestServer, text, withServer } from "./servers.js";

/** Echoes the request as JSON: method, url, headers and the body it received. */
function echo(): Parameters<typeof serve>[0] {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "x-multi": ["a", "b"] });
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
  };
}

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

test("every method helper sends its method and resolves relative URLs against baseUrl", async () => {
  await withServer(echo(), async (server) => {
    await run(async () => {
      await using session = new ClientSession({ baseUrl: server.url });
      const seen: string[] = [];
      for (const m of ["get", "post", "put", "patch", "delete"] as const) {
        const res = await session[m]("items/1");
        seen.push((await res.json<Echo>()).method);
      }
      const head = await session.head("items/1");
      assert.equal(head.status, 200);
      assert.equal(await head.text(), "");
      const custom = await session.request("options", "items/1");
      seen.push((await custom.json<Echo>()).method);
      assert.deepEqual(seen, ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
    });
  });
});

test("repeated response headers: get joins them with ', ' (Fetch), set-cookie gives its first; getAll gives each", async () => {
  await withServer(
    (_req, res) => {
      res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]);
      res.setHeader("x-multi", ["one", "two", "three"]);
      res.setHeader("x-single", "solo");
      res.end("ok");
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const res = await session.get(server.url);
        // Not aiohttp's CIMultiDict.get (the first value): the Fetch Headers rule.
        assert.equal(res.headers.get("X-Multi"), "one, two, three");
        assert.deepEqual(res.headers.getAll("x-MULTI"), ["one", "two", "three"]);
        // Joining cookies would be ambiguous (an Expires date holds a comma): the first one.
        assert.equal(res.headers.get("Set-Cookie"), "a=1; Path=/");
        assert.deepEqual(res.headers.getAll("set-cookie"), [
          "a=1; Path=/",
          "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
        ]);
        assert.equal(res.headers.get("x-single"), "solo");
        assert.deepEqual(res.headers.getAll("x-single"), ["solo"]);
        assert.equal(res.headers.get("x-absent"), null);
        assert.deepEqual(res.headers.getAll("x-absent"), []);
        // Iteration yields one pair per value, lower-case names.
        assert.deepEqual(
          [...res.headers].filter(([name]) => name === "x-multi" || name === "set-cookie"),
          [
            ["set-cookie", "a=1; Path=/"],
            ["set-cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
            ["x-multi", "one"],
            ["x-multi", "two"],
            ["x-multi", "three"],
          ],
        );
        await res.text();
      });
    },
  );
});

test("a response exposes status, ok, url, headers and the body as text, json and bytes", async () => {
  await withServer(echo(), async (server) => {
    await run(async () => {
      await using session = new ClientSession();
      const res = await session.get(`${server.url}path?q=1`);
      assert.ok(res instanceof ClientResponse);
      assert.equal(res.status, 200);
      assert.equal(res.ok, true);
      assert.equal(res.statusText, "OK");
      assert.equal(res.url, `${server.url}path?q=1`);
      assert.ok(res.headers instanceof ResponseHeaders);
      assert.equal(res.headers.get("Content-Type"), "application/json");
      assert.equal(res.headers.get("X-MULTI"), "a, b");
      assert.deepEqual(res.headers.getAll("x-multi"), ["a", "b"]);
      assert.equal(res.headers.has("nope"), false);
      const body = await res.json<Echo>();
      assert.equal(body.url, "/path?q=1");
      // The body is kept: reading it again in another form works.
      const bytes = await res.bytes();
      assert.equal(JSON.parse(Buffer.from(bytes).toString()).url, "/path?q=1");
      assert.equal(res.bodyUsed, true);
      assert.match(String(res), /ClientResponse\(GET .*path\?q=1 -> 200 OK\)/);
    });
  });
});

test("session headers, request headers, params, json and form bodies are sent", async () => {
  await withServer(echo(), async (server) => {
    await run(async () => {
      await using session = new ClientSession({
        baseUrl: server.url,
        headers: { "X-Session": "s", "X-Both": "session" },
      });
      const res = await session.post("submit", {
        headers: [["x-both", "request"]],
        params: { page: 2, tag: ["a", "b"] },
        json: { hello: "world" },
      });
      const seen = await res.json<Echo>();
      assert.equal(seen.url, "/submit?page=2&tag=a&tag=b");
      assert.equal(seen.headers["x-session"], "s");
      assert.equal(seen.headers["x-both"], "request");
      assert.equal(seen.headers["content-type"], "application/json");
      assert.match(seen.headers["user-agent"]!, /asyncio-ts/);
      assert.deepEqual(JSON.parse(seen.body), { hello: "world" });

      const form = await session.put("form", { body: new URLSearchParams({ a: "1", b: "x y" }) });
      const formSeen = await form.json<Echo>();
      assert.equal(formSeen.body, "a=1&b=x+y");
      assert.match(formSeen.headers["content-type"]!, /x-www-form-urlencoded/);

      const bytes = await session.post("raw", { body: new Uint8Array([104, 105]) });
      assert.equal((await bytes.json<Echo>()).body, "hi");
      async function* stream() {
        yield Buffer.from("str");
        yield Buffer.from("eam");
      }
      const streamed = await session.post("stream", { body: stream() });
      assert.equal((await streamed.json<Echo>()).body, "stream");
    });
  });
});

test("for await yields the body in chunks as the server writes them", async () => {
  await withServer(
    (_req, res) => {
      res.write("one,");
      setTimeout(() => res.write("two,"), 10);
      setTimeout(() => res.end("three"), 20);
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const res = await session.get(server.url);
        const parts: string[] = [];
        for await (const chunk of res) parts.push(Buffer.from(chunk).toString());
        assert.ok(parts.length >= 2, `expected several chunks, got ${JSON.stringify(parts)}`);
        assert.equal(parts.join(""), "one,two,three");
      });
    },
  );
});

test("text() decodes by the charset of content-type", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; charset=latin1" });
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in latin1
    },
    async (server) => {
      await using session = new ClientSession();
      assert.equal(await (await session.get(server.url)).text(), "café");
    },
  );
});

test("works outside run() too: plain promises, no task", async () => {
  await withServer(text("plain"), async (server) => {
    const session = new ClientSession();
    try {
      assert.equal(await (await session.get(server.url)).text(), "plain");
    } finally {
      await session.close();
    }
  });
});

test("concurrent requests through gather all complete and reuse keep-alive connections", async () => {
  await withServer(text("ok"), async (server: TestServer) => {
    await run(async () => {
      await using session = new ClientSession({ limit: 4 });
      const bodies = await gather(
        ...Array.from(
          { length: 40 },
          (_, i) => async () => (await session.get(`${server.url}${i}`)).text(),
        ),
      );
      assert.equal(bodies.length, 40);
      assert.ok(bodies.every((b) => b === "ok"));
      assert.ok(server.connections <= 4, `opened ${server.connections} connections for limit 4`);
      assert.equal(session.statistics().inFlight, 0);
      assert.equal(session.statistics().activeConnections, 0);
    });
  });
});

test("a closed session refuses requests with RuntimeError; close() is idempotent", async () => {
  const session = new ClientSession();
  assert.equal(session.closed, false);
  await session.close();
  await session.close();
  assert.equal(session.closed, true);
  await assert.rejects(session.get("http://127.0.0.1:1/"), (e: unknown) => {
    assert.ok(e instanceof RuntimeError);
    assert.match((e as Error).message, /is closed/);
    return true;
  });
});

test("await using closes the session at the end of the scope", async () => {
  let outer: ClientSession | undefined;
  {
    await using session = new ClientSession();
    outer = session;
    assert.equal(session.closed, false);
  }
  assert.equal(outer.closed, true);
});

test("an AbortSignal passed as `signal` aborts the request with its reason", async () => {
  await withServer(
    (_req, res) => setTimeout(() => res.end("late"), 2000).unref(),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const controller = new AbortController();
        const pending = session.get(server.url, { signal: controller.signal });
        setTimeout(() => controller.abort(new Error("user pressed stop")), 20);
        await assert.rejects(pending, /user pressed stop/);
        await server.waitForAbort();
        assert.equal(session.statistics().inFlight, 0);
        // An already aborted signal stops the request before it is sent.
        await assert.rejects(session.get(`${server.url}never`, { signal: AbortSignal.abort() }));
        assert.equal(server.hitCount("/never"), 0);
      });
    },
  );
});

test("idle keep-alive connections are closed after keepAliveTimeout", async () => {
  await withServer(text("ok"), async (server) => {
    await run(async () => {
      await using session = new ClientSession({ keepAliveTimeout: 0.1 });
      assert.equal(await (await session.get(server.url)).text(), "ok");
      assert.equal(server.openConnections, 1);
      const deadline = Date.now() + 3000;
      while (server.openConnections > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(server.openConnections, 0, "the client closed its idle connection");
    });
  });
});

test("close() fails a body still being read with ClientConnectionError", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      res.write("start");
    },
    async (server) => {
      await run(async () => {
        const session = new ClientSession();
        const res = await session.get(server.url);
        const reading = res.text().catch((e: unknown) => e);
        await session.close();
        const error = await reading;
        assert.ok(error instanceof ClientConnectionError, String(error));
        assert.match((error as Error).message, /session was closed/);
        assert.equal((error as ClientConnectionError).url, server.url);
      });
    },
  );
});

test("a session collected without close() is reported once as unclosed and its connections close; a closed one is not", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  await withServer(text("ok"), async (server) => {
    const reports: string[] = [];
    await run(async () => {
      getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context.message));
      const use = async (close: boolean): Promise<void> => {
        const session = new ClientSession();
        assert.equal(await (await session.get(server.url)).text(), "ok");
        if (close) await session.close();
      };
      await use(true);
      // The server sees a close a little later than the client makes it.
      for (let i = 0; i < 100 && server.openConnections > 0; i++) await sleep(0.005);
      assert.equal(server.openConnections, 0, "close() closed the connection");
      await use(false);
      assert.equal(server.openConnections, 1, "the forgotten session keeps its idle connection");
      // The finalizer runs in a later macrotask after the collection that found the session.
      for (let i = 0; i < 100 && (reports.length === 0 || server.openConnections > 0); i++) {
        gc();
        await sleep(0.005);
      }
    });
    assert.deepEqual(reports, [
      "Unclosed ClientSession: close() it, or create it with `await using`",
    ]);
    assert.equal(server.openConnections, 0, "the collected session's connection was closed");
  });
});
