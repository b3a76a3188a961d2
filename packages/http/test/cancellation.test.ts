import assert from "node:assert/strict";
import { test } from "node:test";
import { CancelledError, createTask, gather, run, sleep } from "asyncio-ts";
import fc from "fast-check";
import { ClientPayloadError, ClientSession } from "../src/index.js";
import { later, withServer } from "./servers.js";

test("cancelling the calling task aborts the request: the server sees the connection close", async () => {
  await withServer(
    (_req, res) => later(5000, () => res.end("too late")),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const task = createTask(() => session.get(server.url));
        while (server.hitCount("/") === 0) await sleep(0.005);
        task.cancel("user gave up");
        await assert.rejects(
          task,
          (e: unknown) => e instanceof CancelledError && e.message === "user gave up",
        );
        await server.waitForAbort();
        assert.deepEqual(server.aborted, ["/"]);
        assert.equal(session.statistics().inFlight, 0);
        assert.equal(session.statistics().activeConnections, 0);
      });
    },
  );
});

test("cancelling a task waiting for a slot removes it from the queue; the slot goes to the next", async () => {
  await withServer(
    (req, res) => later(req.url === "/first" ? 100 : 0, () => res.end(req.url)),
    async (server) => {
      await run(async () => {
        await using session = new ClientSession({ limit: 1 });
        const first = createTask(async () => (await session.get(`${server.url}first`)).text());
        const waiting = createTask(() => session.get(`${server.url}cancelled`));
        const third = createTask(async () => (await session.get(`${server.url}third`)).text());
        await sleep(0.02);
        assert.equal(session.statistics().waiting, 2);
        waiting.cancel();
        await assert.rejects(waiting, CancelledError);
        assert.equal(session.statistics().waiting, 1);
        assert.deepEqual(await gather(first, third), ["/first", "/third"]);
        assert.equal(server.hitCount("/cancelled"), 0);
      });
    },
  );
});

test("cancelling while the body is read aborts the transfer", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      res.write("part");
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const task = createTask(async () => {
          const res = await session.get(server.url);
          return res.text();
        });
        while (server.hitCount("/") === 0) await sleep(0.005);
        await sleep(0.02);
        task.cancel();
        await assert.rejects(task, CancelledError);
        await server.waitForAbort();
        assert.equal(session.statistics().activeConnections, 0);
      });
    },
  );
});

test("an unread body is released when the task that made the request ends", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      res.write("never finished");
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const res = await createTask(() => session.get(server.url));
        // The task is done: its unread response was released and the connection freed.
        await server.waitForAbort();
        assert.equal(session.statistics().activeConnections, 0);
        await assert.rejects(res.text(), (e: unknown) => {
          assert.ok(e instanceof ClientPayloadError);
          assert.match(e.message, /task that made the request ended/);
          return true;
        });
      });
    },
  );
});

test("await using on a response releases its unread body at the end of the scope", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      res.write("endless");
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        {
          await using res = await session.get(server.url);
          assert.equal(res.status, 200);
          assert.equal(session.statistics().activeConnections, 1);
        }
        assert.equal(session.statistics().activeConnections, 0);
        await server.waitForAbort();
      });
    },
  );
});

test("breaking out of for await releases the rest of the body", async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200);
      const tick = setInterval(() => (res.destroyed ? clearInterval(tick) : res.write("chunk")), 5);
      tick.unref();
    },
    async (server) => {
      await run(async () => {
        await using session = new ClientSession();
        const res = await session.get(server.url);
        let n = 0;
        for await (const _chunk of res) if (++n === 3) break;
        assert.equal(n, 3);
        assert.equal(session.statistics().activeConnections, 0);
        await server.waitForAbort();
      });
    },
  );
});

test("property: whenever a batch of requests is cancelled, no slot leaks and the session stays usable", async () => {
  await withServer(
    (req, res) => {
      const ms = Number(new URL(req.url ?? "/", "http://x").searchParams.get("ms"));
      later(ms, () => res.end("done"));
    },
    async (server) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 0, max: 30 }),
          fc.integer({ min: 1, max: 3 }),
          async (delays, cancelAfterMs, limit) => {
            await run(async () => {
              await using session = new ClientSession({ limit });
              const tasks = delays.map((ms) =>
                createTask(async () => (await session.get(`${server.url}?ms=${ms}`)).text()),
              );
              await sleep(cancelAfterMs / 1000);
              for (const t of tasks) t.cancel();
              const outcomes = await gather(tasks, { returnExceptions: true });
              for (const o of outcomes)
                assert.ok(o === "done" || o instanceof CancelledError, String(o));
              const stats = session.statistics();
              assert.deepEqual([stats.inFlight, stats.activeConnections, stats.waiting], [0, 0, 0]);
              // Still usable afterwards.
              assert.equal(await (await session.get(`${server.url}?ms=0`)).text(), "done");
            });
          },
        ),
        { numRuns: 15 },
      );
    },
  );
});
