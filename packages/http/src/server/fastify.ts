/**
 * The Fastify integration: a plugin that runs every route handler registered after it as a
 * named task of the loop ("GET /burgers/:id"), with the same guarantees as the node:http
 * adapter (disconnect cancels, deadline answers 504, graceful drain on `app.close()`), and
 * `serveFastify`, which ties a Fastify app to the task that awaits it.
 *
 * Fastify stays an optional peer dependency: this module imports only its types.
 * @module
 */

import { cancellable, getEventLoop } from "asyncio-ts";
import type {
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  RouteHandlerMethod,
} from "fastify";
import { checkKeys, checkNumber, describe } from "../client/options.js";
import { awaitShutdown } from "./http-server.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  type RequestTaskOptions,
  resolveTaskOptions,
} from "./options.js";
import { type InFlight, RequestTasks, type ServerStatistics } from "./request-tasks.js";
import { ERROR_RESPONSES } from "./respond.js";

/** Options of the {@link fastifyTasks} plugin. */
export interface FastifyTaskOptions extends RequestTaskOptions {
  /** The task name of a request (default: method and route pattern, like `"GET /burgers/:id"`). */
  name?: (request: FastifyRequest) => string;
}

/** Plugin options that Fastify itself interprets; accepted and left to Fastify. */
const FASTIFY_KEYS = ["prefix", "logLevel", "logSerializers"];
const PLUGIN_KEYS = ["deadline", "gracePeriod", "name", ...FASTIFY_KEYS];

/** The registry of each app that registered the plugin (the plugin is not encapsulated). */
const registries = new WeakMap<FastifyInstance, RequestTasks>();

/** Fastify answers errors with a 4xx `statusCode` itself; those are the client's, not bugs. */
function isServerError(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return !(typeof status === "number" && status >= 400 && status < 500);
}

/**
 * Hands a task's outcome to Fastify the way Fastify treats what an async handler's promise
 * settles with (its wrapThenable), without that promise: the wrapped handler returns undefined
 * and the reply is sent from here, callback style. This saves a promise, its resolve/reject
 * functions and two closures per request.
 */
function finishFastify(flight: InFlight): void {
  const reply = flight.context as FastifyReply;
  if (flight.outcome === "value") {
    const payload = flight.value;
    if (payload !== undefined) {
      // A hijacked reply is the handler's (Fastify ignores the payload); a reply already sent
      // and ended is left to Fastify, which warns about the second send.
      if (reply.sent && !reply.raw.writableEnded) return;
    } else if (
      flight.finishedAtStart ||
      reply.sent ||
      reply.raw.headersSent ||
      flight.req.destroyed
    ) {
      // The handler answers itself (reply.send), or nobody is listening any more. As in Fastify,
      // a synchronous handler's undefined never sends: its reply.send may still be running its
      // async onSend hooks, so `reply.sent` is no proof that it did not call it.
      return;
    }
    try {
      reply.send(payload);
    } catch (error) {
      reply.send(asError(error));
    }
  } else if (flight.outcome === "error") {
    flight.registry.report(flight, flight.value);
    if (reply.sent) {
      reply.log.error({ err: flight.value }, "Promise errored, but reply.sent = true was set");
      return;
    }
    // Fastify's error handler answers (500 unless the error says otherwise).
    reply.send(asError(flight.value));
  } else if (flight.reason === "disconnect" || reply.sent || reply.raw.headersSent) {
    // Nobody to answer, or too late to answer properly: take the response from Fastify and cut it.
    reply.hijack();
    if (!reply.raw.destroyed) reply.raw.destroy();
  } else {
    const [status, text] = ERROR_RESPONSES[flight.reason ?? "cancelled"];
    reply.code(status).type("text/plain; charset=utf-8").send(`${text}\n`);
  }
}

/**
 * `reply.send(error)` routes to Fastify's error handler only for Error instances; a handler
 * that throws something else gets it wrapped (the thrown value is the `cause`).
 */
function asError(thrown: unknown): Error {
  return thrown instanceof Error
    ? thrown
    : new Error(`a request handler threw a non-Error value: ${describe(thrown)}`, {
        cause: thrown,
      });
}

/** The default task name of a route's requests: method and route pattern, computed per route. */
function defaultNamer(route: { method: string | string[]; url: string }) {
  const url = route.url;
  const only = typeof route.method === "string" ? route.method : undefined;
  const fixed = only === undefined ? "" : `${only} ${url}`;
  return (request: FastifyRequest): string =>
    request.method === only ? fixed : `${request.method} ${url}`;
}

function wrapHandler(
  tasks: RequestTasks,
  handler: RouteHandlerMethod,
  name: (request: FastifyRequest) => string,
): RouteHandlerMethod {
  return function runAsTask(this: FastifyInstance, request, reply): undefined {
    if (!tasks.accepting()) {
      tasks.refused();
      const [status, text] = ERROR_RESPONSES.shutdown;
      reply
        .code(status)
        .header("connection", "close")
        .type("text/plain; charset=utf-8")
        .send(`${text}\n`);
      return;
    }
    tasks.start(
      name(request),
      request.raw,
      reply.raw,
      () => handler.call(this, request, reply),
      finishFastify,
      reply,
    );
  };
}

function plugin(
  instance: FastifyInstance,
  options: FastifyTaskOptions,
  done: (error?: Error) => void,
): void {
  let tasks: RequestTasks;
  let name: ((request: FastifyRequest) => string) | undefined;
  try {
    checkKeys("fastifyTasks plugin", options, PLUGIN_KEYS);
    const resolved = resolveTaskOptions("fastifyTasks plugin", options);
    if (options?.name !== undefined && typeof options.name !== "function") {
      throw new TypeError(
        `fastifyTasks plugin "name" expected a function (request) => string, received ${describe(options.name)}`,
      );
    }
    name = options?.name;
    tasks = new RequestTasks(getEventLoop(), resolved, isServerError);
  } catch (error) {
    done(error as Error);
    return;
  }
  registries.set(instance, tasks);
  instance.addHook("onRoute", (route) => {
    // The default name is built once per route: Fastify's request.routeOptions is a getter
    // that assembles a new object on every read.
    route.handler = wrapHandler(tasks, route.handler, name ?? defaultNamer(route));
  });
  // Fastify has already stopped routing new requests (503) when preClose runs.
  instance.addHook("preClose", (hookDone) => {
    tasks.drain().then(() => hookDone());
  });
  done();
}

const marked = plugin as typeof plugin & Record<symbol, unknown>;
// What fastify-plugin does: no encapsulation, so the hooks see every route of the app.
marked[Symbol.for("skip-override")] = true;
marked[Symbol.for("fastify.display-name")] = "@asyncio-ts/http";

/**
 * A Fastify plugin that runs each route handler as a named task of the current loop
 * (`"GET /burgers/:id"`): `currentTask()`, `sleep`, `timeout`, `taskGroup` and `ClientSession`
 * calls inside a handler belong to its request. A client that disconnects before the reply is
 * sent cancels the handler's task; `deadline` (seconds, default none) cancels it and answers
 * 504; `app.close()` drains in-flight handlers for `gracePeriod` seconds (default 10), then
 * cancels the rest. Errors go to Fastify's error handler as usual, and those answered with a
 * 5xx are reported once through the loop's exception handler.
 *
 * Register it with `await` before the routes: only routes added after it are wrapped.
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { run, sleep } from "asyncio-ts";
 * import { fastifyTasks, serveFastify } from "@asyncio-ts/http";
 * await run(async () => {
 *   const app = Fastify();
 *   await app.register(fastifyTasks, { deadline: 5, gracePeriod: 10 });
 *   app.get("/burgers", async () => {
 *     await sleep(1); // cancelled if the client hangs up
 *     return ["burger 1", "burger 2"];
 *   });
 *   await serveFastify(app, { port: 8000 }); // until Ctrl-C, then drains
 * });
 * ```
 */
export const fastifyTasks: FastifyPluginCallback<FastifyTaskOptions> = plugin;

/**
 * The statistics of an app's request tasks (handled, disconnected, deadline, failed, ...).
 * Throws `TypeError` if the app has not loaded the {@link fastifyTasks} plugin.
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { fastifyTasks, fastifyTaskStatistics } from "@asyncio-ts/http";
 * const app = Fastify();
 * await app.register(fastifyTasks);
 * console.log(fastifyTaskStatistics(app).inFlight); // 0
 * ```
 */
export function fastifyTaskStatistics(app: FastifyInstance): ServerStatistics {
  return registryOf(app, "fastifyTaskStatistics()").statistics();
}

function registryOf(app: FastifyInstance, where: string): RequestTasks {
  const tasks = registries.get(app);
  if (tasks === undefined) {
    throw new TypeError(
      `${where} expected a Fastify app with the fastifyTasks plugin loaded (\`await app.register(fastifyTasks)\`), received ${describe(app)}`,
    );
  }
  return tasks;
}

/** Options of {@link serveFastify}. */
export interface ServeFastifyOptions {
  /** TCP port (default 8080; 0 picks a free port). */
  port?: number;
  /** Interface to bind (default "127.0.0.1"). */
  host?: string;
  /** Called once the app listens, with its address (like `"http://127.0.0.1:8080"`). */
  ready?: (address: string) => void;
}

/**
 * Listens with `app` (which must have loaded {@link fastifyTasks}) until the calling task is
 * cancelled or the app is closed, then closes it gracefully (`app.close()`: stop routing, drain
 * in-flight handlers for the plugin's grace period, cancel the rest). Under `run()`, Ctrl-C
 * does this. Rethrows the `CancelledError` when stopped by cancellation.
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { run } from "asyncio-ts";
 * import { fastifyTasks, serveFastify } from "@asyncio-ts/http";
 * await run(async () => {
 *   const app = Fastify();
 *   await app.register(fastifyTasks);
 *   app.get("/", async () => "hello");
 *   await serveFastify(app, { port: 0, ready: (address) => console.log(address) });
 * });
 * ```
 */
export async function serveFastify(
  app: FastifyInstance,
  options?: ServeFastifyOptions,
): Promise<void> {
  const where = "serveFastify()";
  checkKeys(where, options, ["port", "host", "ready"]);
  const port =
    options?.port === undefined
      ? DEFAULT_PORT
      : checkNumber(`${where} "port"`, options.port, { min: 0, integer: true });
  const ready = options?.ready;
  if (ready !== undefined && typeof ready !== "function") {
    throw new TypeError(`${where} "ready" expected a function, received ${describe(ready)}`);
  }
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  app.addHook("onClose", (_instance, hookDone) => {
    resolveClosed();
    hookDone();
  });
  await app.ready();
  const tasks = registryOf(app, where);
  const address = await app.listen({ port, host: options?.host ?? DEFAULT_HOST });
  try {
    ready?.(address);
    await cancellable(closed);
  } finally {
    await awaitShutdown(app.close(), () => tasks.hurry());
  }
}
