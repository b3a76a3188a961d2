/**
 * The node:http adapter: `startServer` binds a plain `node:http` server whose every request
 * runs its handler as a task of the current loop, and `HttpServer.shutdown()` stops it
 * gracefully. No dependencies beyond Node.
 *
 * Lifecycle of an HttpServer: "serving" -> "draining" -> "cancelling" -> "closed"
 * (see `statistics().state`); `shutdown()` is idempotent.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { CancelledError, cancellable, currentTask, type EventLoop, getEventLoop } from "asyncio-ts";
import { checkKeys, checkNumber } from "../client/options.js";
import { methodAndPath, resolveStartOptions, type StartServerOptions } from "./options.js";
import { RequestTasks, type ServerStatistics } from "./request-tasks.js";
import { ERROR_RESPONSES, finishNodeResponse, sendError } from "./respond.js";

/**
 * A request handler: runs as its own task, named after the method and path. Return the body
 * (a string, bytes, or any JSON value), or write and end `res` yourself before returning.
 * Throwing gives the client a 500 and reports the error through the loop's exception handler.
 */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Options of `HttpServer.shutdown()`. */
export interface ShutdownOptions {
  /** Seconds to let in-flight requests finish before cancelling them (default: the server's). */
  gracePeriod?: number;
}

/**
 * Waits for `drained` as a cancellation point of the calling task. If the caller is cancelled,
 * the grace period ends at once (`hurry`), the wait goes on until shutdown is complete, and the
 * CancelledError is rethrown: shutdown is never left half done.
 */
export async function awaitShutdown(drained: Promise<void>, hurry: () => void): Promise<void> {
  if (currentTask() === undefined) return drained;
  try {
    await cancellable(drained);
  } catch (error) {
    if (error instanceof CancelledError) {
      hurry();
      await drained;
    }
    throw error;
  }
}

/**
 * A listening node:http server whose request handlers run as asyncio-ts tasks. Create one with
 * {@link startServer}, or let {@link serve} own it for the length of a task.
 *
 * @example
 * ```ts
 * import { run, sleep } from "asyncio-ts";
 * import { startServer } from "@asyncio-ts/http";
 * await run(async () => {
 *   const server = await startServer(async () => {
 *     await sleep(0.01);
 *     return { burgers: 2 };
 *   }, { port: 0 });
 *   const res = await fetch(server.url);
 *   console.log(await res.json()); // { burgers: 2 }
 *   await server.shutdown();
 * });
 * ```
 */
export class HttpServer {
  /** The underlying node:http server (to tune timeouts or add "upgrade" listeners). */
  readonly server: Server;
  /** The port the server listens on (the one picked by the OS when asked for port 0). */
  readonly port: number;
  /** The interface the server listens on. */
  readonly host: string;
  /** `http://host:port/`, for clients. */
  readonly url: string;
  /** @internal */ readonly _tasks: RequestTasks;
  private shutdownPromise: Promise<void> | null = null;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  /** @internal Use `startServer()`. */
  constructor(server: Server, tasks: RequestTasks, host: string, port: number) {
    this.server = server;
    this._tasks = tasks;
    this.host = host;
    this.port = port;
    this.url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
    this.closedPromise = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** Counts of handled, disconnected, timed-out, failed and refused requests, and the state. */
  statistics(): ServerStatistics {
    return this._tasks.statistics();
  }

  /**
   * Graceful shutdown: stops accepting connections (requests arriving on open keep-alive
   * connections get 503), lets in-flight handlers finish for up to `gracePeriod` seconds,
   * cancels the ones still running (their clients get 503 if nothing was sent yet), waits for
   * them, then closes every connection. Idempotent: later calls wait for the same shutdown.
   * Cancelling the caller ends the grace period at once (the rest is still completed).
   *
   * @example
   * ```ts
   * import { run } from "asyncio-ts";
   * import { startServer } from "@asyncio-ts/http";
   * await run(async () => {
   *   const server = await startServer(() => "ok", { port: 0 });
   *   await server.shutdown({ gracePeriod: 5 });
   *   console.log(server.statistics().state); // "closed"
   * });
   * ```
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    checkKeys("HttpServer.shutdown()", options, ["gracePeriod"]);
    if (this.shutdownPromise === null) {
      const grace =
        options?.gracePeriod === undefined
          ? this._tasks.options.gracePeriod
          : checkNumber(`HttpServer.shutdown() "gracePeriod" (seconds)`, options.gracePeriod, {
              min: 0,
            });
      this.shutdownPromise = this.runShutdown(grace);
    }
    return awaitShutdown(this.shutdownPromise, () => this._tasks.hurry());
  }

  /**
   * Resolves once the server has shut down (by `shutdown()` from anywhere). A cancellation point:
   * cancelling the waiting task stops the wait, not the server.
   *
   * @example
   * ```ts
   * import { createTask, run } from "asyncio-ts";
   * import { startServer } from "@asyncio-ts/http";
   * await run(async () => {
   *   const server = await startServer(() => "ok", { port: 0 });
   *   createTask(() => server.shutdown());
   *   await server.waitClosed();
   * });
   * ```
   */
  waitClosed(): Promise<void> {
    return currentTask() === undefined ? this.closedPromise : cancellable(this.closedPromise);
  }

  toString(): string {
    return `<HttpServer ${this.url} ${this._tasks.statistics().state}>`;
  }

  private async runShutdown(gracePeriod: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // close() stops accepting and (Node >= 19) closes idle keep-alive connections.
    await this._tasks.drain(gracePeriod);
    // Every handler is done and every response flushed or cut: what is left is idle.
    this.server.closeAllConnections();
    await closed;
    this.resolveClosed();
  }
}

/** The node:http "request" listener that runs `handler` as a task per request. */
export function taskListener(
  tasks: RequestTasks,
  handler: RequestHandler,
  name: (req: IncomingMessage) => string,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (!tasks.accepting()) {
      tasks.refused();
      sendError(res, ...ERROR_RESPONSES.shutdown, true);
      return;
    }
    let taskName: string;
    try {
      taskName = name(req);
    } catch (exception) {
      // A bug in the `name` option must not cost the request: report it, use the default name.
      tasks.loop.callExceptionHandler({ message: "Error in the server's name option", exception });
      taskName = methodAndPath(req);
    }
    try {
      tasks.start(taskName, req, res, () => handler(req, res), finishNodeResponse);
    } catch {
      // The loop is closed (its run() ended while the server still listens).
      sendError(res, ...ERROR_RESPONSES.shutdown, true);
    }
  };
}

/**
 * Starts a node:http server on `host:port` whose request handlers run as named tasks of the
 * current loop: `currentTask()`, `sleep`, `timeout`, `taskGroup` and `ClientSession` calls in a
 * handler belong to its request. A client that disconnects before its response is sent cancels
 * the handler's task; the `deadline` option (seconds) cancels it and answers 504; handler errors
 * answer 500 and are reported once through the loop's exception handler. Stop it with
 * `shutdown()`, or use {@link serve}, which ties the server to a task.
 *
 * Throws `TypeError`/`RangeError` for bad options, and the listen error (like `EADDRINUSE`).
 *
 * @example
 * ```ts
 * import { run, sleep } from "asyncio-ts";
 * import { startServer } from "@asyncio-ts/http";
 * await run(async () => {
 *   const server = await startServer(
 *     async (req) => {
 *       await sleep(0.01);
 *       return `hello from ${req.url}`;
 *     },
 *     { port: 0, deadline: 2 },
 *   );
 *   console.log(await (await fetch(`${server.url}burgers`)).text()); // "hello from /burgers"
 *   await server.shutdown();
 * });
 * ```
 */
export async function startServer(
  handler: RequestHandler,
  options?: StartServerOptions,
): Promise<HttpServer> {
  return startServerWith("startServer()", handler, options);
}

/** @internal `startServer` with the caller's name for error messages. */
export async function startServerWith(
  where: string,
  handler: RequestHandler,
  options: StartServerOptions | undefined,
): Promise<HttpServer> {
  if (typeof handler !== "function") {
    throw new TypeError(
      `${where} expected a request handler (req, res) => body, received ${typeof handler}`,
    );
  }
  const resolved = resolveStartOptions(where, options);
  const loop: EventLoop = getEventLoop();
  const tasks = new RequestTasks(loop, resolved);
  const server = createServer(taskListener(tasks, handler, resolved.name));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : resolved.port;
  return new HttpServer(server, tasks, resolved.host, port);
}
