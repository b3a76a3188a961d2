/**
 * The node:http adapter with real servers on 127.0.0.1 port 0: handlers as named tasks,
 * disconnect cancels (TaskGroup children and ClientSession requests too), the deadline answers
 * 504, shutdown drains then cancels, errors answer 500 and are reported once.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Socket } from "node:net";
import { describe, test } from "node:test";
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
import { ClientSession, type HttpServer, serve, startServer } from "../src/index.js";
import {
  captureExceptions,
  fetchText,
  openRequest,
  pipelineRequests,
  signal,
} from "./server-client.js";

describe("startServer", () => {
  test("runs each handler as a task named after the method and path, concurrently", async () => {
    await run(async () => {
      const log: string[] = [];
      const server = await startServer(
        async (req) => {
          const name = currentTask()?.name;
          log.push(`start ${name}`);
          await sleep(0.05); // both requests cook at once
          log.push(`end ${name}`);
          return { task: name, url: req.url };
        },
        { port: 0 },
      );
      try {
        const [a, b] = await gather(fetchText(`${server.url}a?x=1`), fetchText(`${server.url}b`));
        assert.equal(a.status, 200);
        assert.equal(a.headers["content-type"], "application/json; charset=utf-8");
        assert.deepEqual(JSON.parse(a.body), { task: "GET /a", url: "/a?x=1" });
        assert.deepEqual(JSON.parse(b.body), { task: "GET /b", url: "/b" });
        assert.deepEqual(log.slice(0, 2).sort(), ["start GET /a", "start GET /b"]);
        assert.deepEqual(log.slice(2).sort(), ["end GET /a", "end GET /b"]);
        assert.equal(server.statistics().handled, 2);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("returned strings and bytes become the body; a handler may also write res itself", async () => {
    await run(async () => {
      const server = await startServer(
        (req, res) => {
          if (req.url === "/text") return "hello";
          if (req.url === "/bytes") return new Uint8Array([104, 105]);
          res.writeHead(201, { "x-by": "handler" });
          res.end("own");
          return undefined;
        },
        { port: 0 },
      );
      try {
        const text = await fetchText(`${server.url}text`);
        assert.deepEqual([text.status, text.body], [200, "hello"]);
        assert.equal(text.headers["content-type"], "text/plain; charset=utf-8");
        const bytes = await fetchText(`${server.url}bytes`);
        assert.equal(bytes.body, "hi");
        assert.equal(bytes.headers["content-type"], "application/octet-stream");
        const own = await fetchText(`${server.url}own`);
        assert.deepEqual([own.status, own.body, own.headers["x-by"]], [201, "own", "handler"]);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("a client disconnect cancels the handler: its finally runs, its child task is cancelled", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const started = signal();
      const finished = signal();
      const server = await startServer(
        async () => {
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
          } catch (error) {
            log.push(`handler ${(error as Error).name}: ${(error as Error).message}`);
            throw error;
          } finally {
            log.push("handler finally");
            finished.fire();
          }
        },
        { port: 0 },
      );
      try {
        const req = openRequest(server.url);
        await started.wait;
        req.destroy();
        await finished.wait;
        await sleep(0.01); // let the done callbacks run
        assert.deepEqual(log, [
          "child CancelledError",
          "handler CancelledError: client disconnected",
          "handler finally",
        ]);
        assert.equal(server.statistics().disconnected, 1);
        assert.equal(server.statistics().inFlight, 0);
        assert.deepEqual(reported, [], "a disconnect is not an error");
      } finally {
        await server.shutdown();
      }
    });
  });

  test("a client disconnect aborts the handler's outgoing ClientSession request", async () => {
    let upstreamClosed!: () => void;
    const upstreamClose = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    const upstream = createServer((req) => {
      // Never answers; records the moment the proxying handler's request goes away.
      req.socket.on("close", () => upstreamClosed());
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const address = upstream.address();
    assert.ok(address !== null && typeof address === "object");
    try {
      await run(async () => {
        const reported = captureExceptions();
        const started = signal();
        const outcome: string[] = [];
        await using session = new ClientSession();
        const server = await startServer(
          async () => {
            started.fire();
            try {
              return await session.get(`http://127.0.0.1:${address.port}/slow`);
            } catch (error) {
              outcome.push((error as Error).name);
              throw error;
            }
          },
          { port: 0 },
        );
        try {
          const req = openRequest(server.url);
          await started.wait;
          await sleep(0.02); // the outgoing request reaches the upstream
          req.destroy();
          await upstreamClose;
          assert.deepEqual(outcome, ["CancelledError"]);
          assert.deepEqual(reported, []);
        } finally {
          await server.shutdown();
        }
      });
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  test("the deadline cancels the handler and answers 504", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const server = await startServer(
        async () => {
          try {
            await sleep(30);
            return "too late";
          } finally {
            log.push(`finally cancelling=${currentTask()?.cancelling()}`);
          }
        },
        { port: 0, deadline: 0.05 },
      );
      try {
        const reply = await fetchText(server.url);
        assert.equal(reply.status, 504);
        assert.match(reply.body, /Gateway Timeout/);
        assert.deepEqual(log, ["finally cancelling=1"]);
        assert.equal(server.statistics().deadlineExpired, 1);
        assert.deepEqual(reported, []);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("past the deadline with headers already sent, the connection is cut, not completed", async () => {
    await run(async () => {
      const server = await startServer(
        async (_req, res) => {
          res.writeHead(200, { "content-type": "text/plain" });
          res.write("partial ");
          await sleep(30);
          res.end("never");
        },
        { port: 0, deadline: 0.05 },
      );
      try {
        await assert.rejects(fetchText(server.url), /aborted|socket hang up|ECONNRESET/);
        assert.equal(server.statistics().deadlineExpired, 1);
      } finally {
        await server.shutdown();
      }
    });
  });

  // A foreign await is not a cancellation point: the deadline's cancellation stays pending, and
  // a handler that then returns before any library await has done its work; its body is sent.
  test("past the deadline inside a foreign await, a handler that returns at once is answered with its body", async () => {
    await run(async () => {
      const server = await startServer(
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 150)); // not asyncio-ts's
          return "late, but done";
        },
        { port: 0, deadline: 0.05 },
      );
      try {
        const reply = await fetchText(server.url);
        assert.deepEqual([reply.status, reply.body], [200, "late, but done"]);
        assert.equal(server.statistics().deadlineExpired, 1);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("a handler that finishes within the deadline is not affected by it", async () => {
    await run(async () => {
      const server = await startServer(() => sleep(0.01, "in time"), { port: 0, deadline: 5 });
      try {
        const reply = await fetchText(server.url);
        assert.deepEqual([reply.status, reply.body], [200, "in time"]);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("a handler starts inside the request event, and a synchronous one is answered there", async () => {
    await run(async () => {
      const log: string[] = [];
      const server = await startServer(
        (req) => {
          log.push(`handler ${currentTask()?.name}`);
          if (req.url === "/sync") return "at once";
          return (async () => {
            await sleep(0.01);
            return "later";
          })();
        },
        { port: 0 },
      );
      // Runs right after the adapter's own listener, in the same "request" event.
      server.server.on("request", (req, res) => {
        log.push(`${req.url} after the adapter: ended=${res.writableEnded}`);
      });
      try {
        assert.equal((await fetchText(`${server.url}sync`)).body, "at once");
        assert.equal((await fetchText(`${server.url}async`)).body, "later");
        assert.deepEqual(log, [
          "handler GET /sync",
          "/sync after the adapter: ended=true",
          "handler GET /async",
          "/async after the adapter: ended=false",
        ]);
        const stats = server.statistics();
        assert.deepEqual([stats.handled, stats.inFlight], [2, 0]);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("a handler error answers 500 and is reported exactly once", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const server = await startServer(
        async () => {
          await sleep(0.01);
          throw new RangeError("no burgers left");
        },
        { port: 0 },
      );
      try {
        const reply = await fetchText(`${server.url}burgers`);
        assert.equal(reply.status, 500);
        assert.equal(reply.body, "Internal Server Error\n");
      } finally {
        await server.shutdown();
      }
      assert.equal(reported.length, 1);
      assert.equal(reported[0]?.message, "Unhandled error in request handler GET /burgers");
      assert.equal((reported[0]!.exception as Error).message, "no burgers left");
      assert.equal(reported[0]?.task?.name, "GET /burgers");
      assert.equal(server.statistics().failed, 1);
    });
  });

  test("the error is not reported again when run() ends (it was retrieved)", async () => {
    const reported: string[] = [];
    await run(async () => {
      getRunningLoop().setExceptionHandler((_loop, context) => reported.push(context.message));
      const server = await startServer(
        () => {
          throw new Error("sync failure");
        },
        { port: 0 },
      );
      assert.equal((await fetchText(server.url)).status, 500);
      await server.shutdown();
    });
    assert.deepEqual(reported, ["Unhandled error in request handler GET /"]);
  });

  test("a handler that returns without responding answers 500 and says why", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const server = await startServer(() => undefined, { port: 0 });
      try {
        assert.equal((await fetchText(server.url)).status, 500);
        assert.match(String(reported[0]?.exception), /returned without responding/);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("a value with no JSON form answers 500", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const server = await startServer(() => () => 1, { port: 0 });
      try {
        assert.equal((await fetchText(server.url)).status, 500);
        assert.match(String(reported[0]?.exception), /no JSON form/);
      } finally {
        await server.shutdown();
      }
    });
  });
});

describe("many requests at once", () => {
  test("20 concurrent requests, every other one dropped: each handler ends once, nothing leaks", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const ended = new Map<string, string>();
      const started = new Map<string, ReturnType<typeof signal>>();
      for (let i = 0; i < 20; i++) started.set(`/${i}`, signal());
      const server = await startServer(
        async (req) => {
          const path = req.url ?? "";
          started.get(path)?.fire();
          try {
            await sleep(0.2);
            ended.set(path, "done");
            return path;
          } catch (error) {
            ended.set(path, (error as Error).message);
            throw error;
          }
        },
        { port: 0 },
      );
      try {
        const kept: Promise<string>[] = [];
        for (let i = 0; i < 20; i++) {
          const url = `${server.url}${i}`;
          if (i % 2 === 0) {
            kept.push(fetchText(url).then((r) => r.body));
          } else {
            const req = openRequest(url);
            createTask(async () => {
              await started.get(`/${i}`)!.wait;
              req.destroy();
            });
          }
        }
        const bodies = await gather(...kept);
        assert.deepEqual(
          bodies,
          Array.from({ length: 10 }, (_, k) => `/${2 * k}`),
        );
        while (ended.size < 20) await sleep(0.01);
        for (const [path, how] of ended) {
          const i = Number(path.slice(1));
          assert.equal(how, i % 2 === 0 ? "done" : "client disconnected", path);
        }
        await sleep(0.01);
        const stats = server.statistics();
        assert.deepEqual([stats.handled, stats.disconnected, stats.inFlight], [20, 10, 0]);
        assert.deepEqual(reported, []);
      } finally {
        await server.shutdown();
      }
    });
  });
});

describe("one connection, many requests", () => {
  test("on a keep-alive connection only the request still running is cancelled, by one listener", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const hanging = signal();
      const ended = signal();
      const server = await startServer(
        async (req) => {
          if (req.url !== "/hang") return req.url;
          hanging.fire();
          try {
            await sleep(30);
          } catch (error) {
            log.push((error as Error).message);
            throw error;
          } finally {
            ended.fire();
          }
        },
        { port: 0, gracePeriod: 30 },
      );
      const sockets: Socket[] = [];
      server.server.on("connection", (socket: Socket) => sockets.push(socket));
      try {
        const connection = await pipelineRequests(server.url, ["/1"]);
        await connection.responses(1);
        await sleep(0.01);
        const listeners = sockets[0]!.listenerCount("close");
        // Five more requests on the first connection, one after the other.
        for (let i = 2; i <= 6; i++) {
          connection.write(`/${i}`);
          await connection.responses(i);
        }
        await sleep(0.01);
        assert.equal(sockets[0]!.listenerCount("close"), listeners, "no listener per request");
        connection.write("/hang");
        await hanging.wait;
        connection.destroy();
        await ended.wait;
        await sleep(0.01);
        assert.deepEqual(log, ["client disconnected"]);
        assert.match(connection.received(), /\/6$/);
        const stats = server.statistics();
        assert.deepEqual([stats.handled, stats.disconnected, stats.inFlight], [7, 1, 0]);
        assert.deepEqual(reported, []);
      } finally {
        await server.shutdown();
      }
    });
  });

  test("pipelined requests: a disconnect cancels every handler still running on the connection", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const log: string[] = [];
      const started = new Map([
        ["/1", signal()],
        ["/2", signal()],
      ]);
      const server = await startServer(
        async (req) => {
          const path = req.url ?? "";
          started.get(path)?.fire();
          try {
            await sleep(path === "/0" ? 0 : 30);
            return path;
          } catch (error) {
            log.push(`${path} ${(error as Error).name}`);
            throw error;
          }
        },
        { port: 0, gracePeriod: 30 },
      );
      const connection = await pipelineRequests(server.url, ["/0", "/1", "/2"]);
      await connection.responses(1);
      await started.get("/2")!.wait;
      connection.destroy();
      while (log.length < 2) await sleep(0.01);
      assert.deepEqual(log.sort(), ["/1 CancelledError", "/2 CancelledError"]);
      await sleep(0.01);
      const stats = server.statistics();
      assert.deepEqual([stats.handled, stats.disconnected, stats.inFlight], [3, 2, 0]);
      const loop = getRunningLoop();
      const t0 = loop.time();
      await server.shutdown();
      assert.ok(loop.time() - t0 < 5, "nothing was left in flight for the grace period");
      assert.deepEqual(reported, []);
    });
  });
});

describe("shutdown", () => {
  test("stops accepting, lets in-flight handlers finish within the grace period, then cancels the rest", async () => {
    await run(async () => {
      const log: string[] = [];
      const started = { fast: signal(), slow: signal() };
      const server = await startServer(
        async (req) => {
          const which = req.url === "/fast" ? "fast" : "slow";
          started[which].fire();
          try {
            await sleep(which === "fast" ? 0.05 : 30);
            log.push(`${which} done`);
            return which;
          } catch (error) {
            log.push(`${which} ${(error as Error).name}`);
            throw error;
          }
        },
        { port: 0, gracePeriod: 0.3 },
      );
      const fast = fetchText(`${server.url}fast`);
      const slow = fetchText(`${server.url}slow`);
      await started.fast.wait;
      await started.slow.wait;
      const shutdown = createTask(async () => {
        log.push("shutdown start");
        await server.shutdown();
        log.push("shutdown end");
      });
      await sleep(0.01);
      assert.equal(server.statistics().state, "draining");
      await assert.rejects(fetchText(`${server.url}late`), /ECONNREFUSED/);
      const [fastReply, slowReply] = await gather(fast, slow);
      await shutdown;
      assert.deepEqual([fastReply.status, fastReply.body], [200, "fast"]);
      assert.equal(slowReply.status, 503);
      assert.deepEqual(log, ["shutdown start", "fast done", "slow CancelledError", "shutdown end"]);
      const stats = server.statistics();
      assert.deepEqual([stats.state, stats.inFlight, stats.cancelledAtShutdown], ["closed", 0, 1]);
    });
  });

  test("with nothing in flight it closes at once, and calling it again is harmless", async () => {
    await run(async () => {
      const server = await startServer(() => "ok", { port: 0, gracePeriod: 30 });
      assert.equal((await fetchText(server.url)).body, "ok");
      const loop = getRunningLoop();
      const t0 = loop.time();
      await server.shutdown();
      await server.shutdown();
      assert.ok(loop.time() - t0 < 5, "did not wait for the grace period");
      assert.equal(server.statistics().state, "closed");
    });
  });

  test("cancelling the task that waits for shutdown ends the grace period early", async () => {
    await run(async () => {
      const started = signal();
      const server = await startServer(
        async () => {
          started.fire();
          await sleep(30);
        },
        { port: 0, gracePeriod: 30 },
      );
      const reply = fetchText(server.url);
      await started.wait;
      const waiter = createTask(() => server.shutdown());
      await sleep(0.02);
      waiter.cancel();
      await assert.rejects(waiter, CancelledError);
      assert.equal(server.statistics().state, "closed", "the shutdown was completed anyway");
      assert.equal((await reply).status, 503);
    });
  });
});

describe("serve", () => {
  test("serves until its task is cancelled, then drains gracefully", async () => {
    await run(async () => {
      const log: string[] = [];
      let server: HttpServer | undefined;
      const listening = signal();
      const started = signal();
      const serving = createTask(() =>
        serve(
          async () => {
            started.fire();
            await sleep(0.05);
            log.push("handler done");
            return "served";
          },
          {
            port: 0,
            ready: (s) => {
              server = s;
              listening.fire();
            },
          },
        ),
      );
      await listening.wait;
      const reply = fetchText(server!.url);
      await started.wait;
      serving.cancel();
      await assert.rejects(serving, CancelledError);
      log.push("serve ended");
      assert.deepEqual(log, ["handler done", "serve ended"]);
      assert.equal((await reply).body, "served");
      assert.equal(server!.statistics().state, "closed");
    });
  });

  test("run() + SIGINT drains the server and rejects with KeyboardInterrupt", async () => {
    assert.equal(process.listenerCount("SIGINT"), 0, "run() installs its own SIGINT listener");
    const log: string[] = [];
    await assert.rejects(
      run(async () => {
        const started = signal();
        await serve(
          async () => {
            started.fire();
            await sleep(0.05);
            log.push("handler done");
            return "ok";
          },
          {
            port: 0,
            ready: (server) => {
              createTask(async () => {
                const reply = fetchText(server.url);
                await started.wait;
                process.emit("SIGINT");
                log.push(`reply ${(await reply).status}`);
              });
            },
          },
        );
      }),
      { name: "KeyboardInterrupt" },
    );
    assert.deepEqual(log, ["handler done", "reply 200"]);
  });

  test("returns normally when the server is shut down from elsewhere", async () => {
    await run(async () => {
      await serve(() => "ok", {
        port: 0,
        ready: (server) => {
          createTask(() => server.shutdown());
        },
      });
    });
  });
});

describe("options", () => {
  test("bad options are rejected with errors that name the option and what arrived", async () => {
    await run(async () => {
      const handler = () => "ok";
      await assert.rejects(startServer(handler, { port: -1 }), {
        name: "RangeError",
        message: /"port" expected an integer at least 0, received -1/,
      });
      await assert.rejects(startServer(handler, { port: 70000 }), /0 to 65535/);
      await assert.rejects(startServer(handler, { deadline: 0 }), {
        name: "RangeError",
        message: /"deadline" \(seconds\) expected a number greater than 0, received 0/,
      });
      await assert.rejects(startServer(handler, { gracePeriod: "5" as never }), {
        name: "TypeError",
        message: /"gracePeriod" \(seconds\) expected a number, received "5" \(string\)/,
      });
      await assert.rejects(startServer(handler, { timeout: 5 } as never), /no option "timeout"/);
      await assert.rejects(startServer("nope" as never), /expected a request handler/);
      await assert.rejects(serve(handler, { ready: 1 as never }), /"ready" expected a function/);
    });
  });

  test("the name option names the tasks; a name function that throws is reported, not fatal", async () => {
    await run(async () => {
      const reported = captureExceptions();
      const server = await startServer(() => currentTask()?.name, {
        port: 0,
        name: (req) => {
          if (req.url === "/bad") throw new Error("no name");
          return `order ${req.url}`;
        },
      });
      try {
        assert.equal((await fetchText(`${server.url}7`)).body, "order /7");
        assert.equal((await fetchText(`${server.url}bad`)).body, "GET /bad");
        assert.deepEqual(
          reported.map((c) => [c.message, String(c.exception)]),
          [["Error in the server's name option", "Error: no name"]],
        );
      } finally {
        await server.shutdown();
      }
    });
  });

  test("deadline null means no deadline", async () => {
    await run(async () => {
      const server = await startServer(() => sleep(0.01, "ok"), { port: 0, deadline: null });
      try {
        assert.equal((await fetchText(server.url)).status, 200);
      } finally {
        await server.shutdown();
      }
    });
  });
});
