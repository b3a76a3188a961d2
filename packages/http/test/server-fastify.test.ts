/**
 * The Fastify plugin with real Fastify apps on 127.0.0.1 port 0: route handlers as tasks named
 * after the route pattern, disconnect cancels (pipelined requests too), deadline answers 504,
 * app.close() drains then cancels, 5xx errors are reported once and 4xx ones are left to Fastify.
 */
import assert from "node:assert/strict";
import { connect as connectHttp2 } from "node:http2";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import {
  CancelledError,
  createTask,
  currentTask,
  gather,
  getRunningLoop,
  run,
  sleep,
  taskGroup,
} from "asyncio-ts";
import Fastify, { type FastifyInstance } from "fastify";
import {
  type FastifyTaskOptions,
  fastifyTaskStatistics,
  fastifyTasks,
  serveFastify,
} from "../src/index.js";
import {
  captureExceptions,
  fetchText,
  openRequest,
  pipelineRequests,
  signal,
} from "./server-client.js";

/** A Fastify app with the plugin loaded, listening on a free loopback port. */
async function app(
  options: FastifyTaskOptions,
  routes: (app: FastifyInstance) => void,
): Promise<{ app: FastifyInstance; url: string }> {
  const instance = Fastify();
  await instance.register(fastifyTasks, options);
  routes(instance);
  const address = await instance.listen({ port: 0, host: "127.0.0.1" });
  return { app: instance, url: `${address}/` };
}

describe("fastifyTasks", () => {
  test("runs each route handler as a task named after the method and route pattern", async () => {
    await run(async () => {
      const { app: fastify, url } = await app({}, (f) => {
        f.get("/burgers/:n", async (request) => {
          await sleep(0.05);
          return { task: currentTask()?.name, n: (request.params as { n: string }).n };
        });
      });
      try {
        const [a, b] = await gather(fetchText(`${url}burgers/1`), fetchText(`${url}burgers/2`));
        assert.deepEqual(JSON.parse(a.body), { task: "GET /burgers/:n", n: "1" });
        assert.deepEqual(JSON.parse(b.body), { task: "GET /burgers/:n", n: "2" });
        assert.equal(fastifyTaskStatistics(fastify).handled, 2);
      } finally {
        await fastify.close();
      }
    });
  });

  test("a client disconnect cancels the handler: its finally runs, its child task is cancelled", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const started = signal();
      const finished = signal();
      const { app: fastify, url } = await app({}, (f) => {
        f.get("/", async () => {
          try {
            await taskGroup(async (tg) => {
              tg.createTask(async () => {
                try {
                  await sleep(30);
                } catch (error) {
                  log.push(`child ${(error as Error).name}`);
                  throw error;
                }
              });
              started.fire();
              await sleep(30);
            });
            return "never";
          } finally {
            log.push("handler finally");
            finished.fire();
          }
        });
      });
      try {
        const req = openRequest(url);
        await started.wait;
        req.destroy();
        await finished.wait;
        await sleep(0.01);
        assert.deepEqual(log, ["child CancelledError", "handler finally"]);
        assert.equal(fastifyTaskStatistics(fastify).disconnected, 1);
        assert.deepEqual(reported, []);
      } finally {
        await fastify.close();
      }
    });
  });

  test("pipelined requests on one connection: a disconnect cancels every handler still running on it", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const started = [signal(), signal(), signal()];
      const ended = [signal(), signal(), signal()];
      const { app: fastify, url } = await app({ gracePeriod: 30 }, (f) => {
        f.get("/:n", async (request) => {
          const n = Number((request.params as { n: string }).n);
          started[n]!.fire();
          try {
            await sleep(n === 0 ? 0 : 30);
            log.push(`${n} done`);
            return `r${n}`;
          } catch (error) {
            log.push(`${n} ${(error as Error).name}`);
            throw error;
          } finally {
            ended[n]!.fire();
          }
        });
      });
      try {
        // Node answers pipelined requests in order: 1 and 2 wait behind each other, and only
        // the response being written is attached to the socket.
        const connection = await pipelineRequests(url, ["/0", "/1", "/2"]);
        await connection.responses(1);
        await started[2]!.wait;
        connection.destroy();
        await ended[1]!.wait;
        await ended[2]!.wait;
        await sleep(0.01);
        assert.deepEqual(log.sort(), ["0 done", "1 CancelledError", "2 CancelledError"]);
        assert.match(connection.received(), /r0$/);
        const stats = fastifyTaskStatistics(fastify);
        assert.deepEqual([stats.handled, stats.disconnected, stats.inFlight], [3, 2, 0]);
        assert.deepEqual(reported, []);
      } finally {
        const loop = getRunningLoop();
        const t0 = loop.time();
        await fastify.close();
        assert.ok(loop.time() - t0 < 5, "nothing was left in flight for the grace period");
      }
    });
  });

  test("over HTTP/2, a client resetting its stream cancels that handler only", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const started = signal();
      const instance = Fastify({ http2: true });
      await instance.register(fastifyTasks);
      instance.get("/:n", async (request) => {
        const n = (request.params as { n: string }).n;
        if (n === "0") return "r0";
        started.fire();
        try {
          await sleep(30);
          return "never";
        } catch (error) {
          log.push((error as Error).message);
          throw error;
        }
      });
      const address = await instance.listen({ port: 0, host: "127.0.0.1" });
      const client = connectHttp2(address);
      client.on("error", () => {});
      try {
        const first = client.request({ ":path": "/0" });
        first.setEncoding("utf8");
        let body = "";
        first.on("data", (chunk: string) => {
          body += chunk;
        });
        await new Promise((resolve) => first.on("end", resolve));
        const second = client.request({ ":path": "/1" });
        second.on("error", () => {});
        await started.wait;
        second.close(); // RST_STREAM: the connection stays open
        while (log.length === 0) await sleep(0.01);
        await sleep(0.01);
        assert.equal(body, "r0");
        assert.deepEqual(log, ["client disconnected"]);
        // The statistics function is typed for the default (HTTP/1) instance.
        const stats = fastifyTaskStatistics(instance as unknown as FastifyInstance);
        assert.deepEqual([stats.handled, stats.disconnected, stats.inFlight], [2, 1, 0]);
        assert.deepEqual(reported, []);
      } finally {
        client.close();
        await instance.close();
      }
    });
  });

  test("a response still streaming when its handler returns stays in flight until it ends", async () => {
    await run(async () => {
      const { app: fastify, url } = await app({}, (f) => {
        f.get("/", async () =>
          Readable.from(
            (async function* () {
              yield "a";
              await delay(100);
              yield "b";
            })(),
          ),
        );
      });
      try {
        const reply = fetchText(url);
        await sleep(0.05);
        assert.equal(fastifyTaskStatistics(fastify).inFlight, 1, "the body is not written yet");
        assert.equal((await reply).body, "ab");
        await sleep(0.01);
        assert.equal(fastifyTaskStatistics(fastify).inFlight, 0);
      } finally {
        await fastify.close();
      }
    });
  });

  test("the deadline cancels the handler and answers 504", async () => {
    await run(async () => {
      const log: string[] = [];
      const { app: fastify, url } = await app({ deadline: 0.05 }, (f) => {
        f.get("/slow", async () => {
          try {
            await sleep(30);
            return "too late";
          } catch (error) {
            log.push((error as Error).name);
            throw error;
          }
        });
      });
      try {
        const reply = await fetchText(`${url}slow`);
        assert.equal(reply.status, 504);
        assert.match(reply.body, /Gateway Timeout/);
        assert.deepEqual(log, ["CancelledError"]);
        assert.equal(fastifyTaskStatistics(fastify).deadlineExpired, 1);
      } finally {
        await fastify.close();
      }
    });
  });

  test("a handler error answers 500 and is reported once; a 4xx error is left to Fastify", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const { app: fastify, url } = await app({}, (f) => {
        f.get("/boom", async () => {
          await sleep(0.01);
          throw new Error("grill on fire");
        });
        f.get("/teapot", async () => {
          throw Object.assign(new Error("short and stout"), { statusCode: 418 });
        });
      });
      try {
        assert.equal((await fetchText(`${url}boom`)).status, 500);
        assert.equal((await fetchText(`${url}teapot`)).status, 418);
      } finally {
        await fastify.close();
      }
      assert.equal(reported.length, 1);
      assert.equal(reported[0]?.message, "Unhandled error in request handler GET /boom");
      assert.equal((reported[0]!.exception as Error).message, "grill on fire");
    });
  });

  test("synchronous handlers run as tasks inside the request, answered at once", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const { app: fastify, url } = await app({}, (f) => {
        f.get("/value", () => {
          log.push(`value in ${currentTask()?.name}`);
          return { sync: true };
        });
        f.get("/send", (_request, reply) => {
          log.push(`send in ${currentTask()?.name}`);
          reply.code(202).send("sent");
        });
        f.get("/throw", () => {
          throw new Error("sync failure");
        });
        // onSend runs synchronously inside reply.send, so it sees the context the reply is sent in.
        f.addHook("onSend", async (request, _reply, payload) => {
          log.push(`${request.url} sent, current task: ${currentTask()?.name ?? "none"}`);
          return payload;
        });
      });
      try {
        assert.deepEqual(JSON.parse((await fetchText(`${url}value`)).body), { sync: true });
        const sent = await fetchText(`${url}send`);
        assert.deepEqual([sent.status, sent.body], [202, "sent"]);
        assert.equal((await fetchText(`${url}throw`)).status, 500);
        const stats = fastifyTaskStatistics(fastify);
        assert.deepEqual([stats.handled, stats.failed, stats.inFlight], [3, 1, 0]);
      } finally {
        await fastify.close();
      }
      // A returned value or a thrown error is sent outside the handler's task: Fastify's hooks
      // are then not the task's code (a reply.send inside the handler is, naturally).
      assert.deepEqual(log, [
        "value in GET /value",
        "/value sent, current task: none",
        "send in GET /send",
        "/send sent, current task: GET /send", // the handler's own reply.send
        "/throw sent, current task: none",
      ]);
      assert.deepEqual(
        reported.map((c) => [c.message, (c.exception as Error).message]),
        [["Unhandled error in request handler GET /throw", "sync failure"]],
      );
    });
  });

  test("app.close() lets in-flight handlers finish within the grace period, then cancels the rest", async () => {
    await run(async () => {
      const log: string[] = [];
      const started = { fast: signal(), slow: signal() };
      const { app: fastify, url } = await app({ gracePeriod: 0.3 }, (f) => {
        f.get("/:which", async (request) => {
          const which = (request.params as { which: "fast" | "slow" }).which;
          started[which].fire();
          try {
            await sleep(which === "fast" ? 0.05 : 30);
            log.push(`${which} done`);
            return which;
          } catch (error) {
            log.push(`${which} ${(error as Error).name}`);
            throw error;
          }
        });
      });
      const fast = fetchText(`${url}fast`);
      const slow = fetchText(`${url}slow`);
      await started.fast.wait;
      await started.slow.wait;
      const closing = createTask(async () => {
        log.push("close start");
        await fastify.close();
        log.push("close end");
      });
      const [fastReply, slowReply] = await gather(fast, slow);
      await closing;
      assert.deepEqual([fastReply.status, fastReply.body], [200, "fast"]);
      assert.equal(slowReply.status, 503);
      assert.deepEqual(log, ["close start", "fast done", "slow CancelledError", "close end"]);
      assert.equal(fastifyTaskStatistics(fastify).cancelledAtShutdown, 1);
    });
  });

  test("a handler may answer with reply.send itself; a thrown non-Error still answers 500", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const { app: fastify, url } = await app({}, (f) => {
        f.get("/own", async (_request, reply) => {
          await sleep(0.01);
          reply.code(201).send("by reply.send");
        });
        f.get("/empty", async (_request, reply) => {
          reply.code(204);
        });
        f.get("/string-thrown", async () => {
          throw "out of buns";
        });
      });
      try {
        const own = await fetchText(`${url}own`);
        assert.deepEqual([own.status, own.body], [201, "by reply.send"]);
        assert.equal((await fetchText(`${url}empty`)).status, 204);
        assert.equal((await fetchText(`${url}string-thrown`)).status, 500);
      } finally {
        await fastify.close();
      }
      assert.deepEqual(
        reported.map((c) => [c.message, c.exception]),
        [["Unhandled error in request handler GET /string-thrown", "out of buns"]],
      );
    });
  });

  test("bad plugin options fail the registration with a clear error", async () => {
    const fastify = Fastify();
    await assert.rejects(async () => await fastify.register(fastifyTasks, { deadline: -1 }), {
      name: "RangeError",
      message: /"deadline" \(seconds\) expected a number greater than 0, received -1/,
    });
    await fastify.close().catch(() => {});
    assert.throws(() => fastifyTaskStatistics(Fastify()), /fastifyTasks plugin loaded/);
  });
});

describe("serveFastify", () => {
  test("serves until its task is cancelled, then closes the app gracefully", async () => {
    await run(async () => {
      const log: string[] = [];
      const fastify = Fastify();
      await fastify.register(fastifyTasks, { gracePeriod: 5 });
      const started = signal();
      fastify.get("/", async () => {
        started.fire();
        await sleep(0.05);
        log.push("handler done");
        return "served";
      });
      const listening = signal();
      let address = "";
      const serving = createTask(() =>
        serveFastify(fastify, {
          port: 0,
          ready: (a) => {
            address = a;
            listening.fire();
          },
        }),
      );
      await listening.wait;
      const reply = fetchText(`${address}/`);
      await started.wait;
      serving.cancel();
      await assert.rejects(serving, CancelledError);
      log.push("serve ended");
      assert.deepEqual(log, ["handler done", "serve ended"]);
      assert.equal((await reply).body, "served");
      assert.equal(fastifyTaskStatistics(fastify).state, "closed");
    });
  });

  test("refuses an app without the plugin", async () => {
    await run(async () => {
      const fastify = Fastify();
      await assert.rejects(serveFastify(fastify, { port: 0 }), /fastifyTasks plugin loaded/);
      await fastify.close();
      assert.equal(getRunningLoop().isClosed(), false);
    });
  });
});
