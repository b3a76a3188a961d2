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
import {
  type InFlight,
  type Outcome,
  RequestTasks,
  type ServerStatistics,
} from "./request-tasks.js";
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

function routeName(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url}`;
}

function finishFastify(
  outcome: Outcome,
  flight: InFlight,
  reply: FastifyReply,
  resolve: (payload: unknown) => void,
  reject: (error: unknown) => void,
): void {
  if (outcome.kind === "value") {
    resolve(outcome.value);
  } else if (outcome.kind === "error") {
    flight.registry.report(flight, outcome.error);
    reject(outcome.error); // Fastify's error handler answers (500 unless the error says otherwise)
  } else if (outcome.reason === "disconnect" || reply.sent || reply.raw.headersSent) {
    // Nobody to answer, or too late to answer properly: take the response from Fastify and cut it.
    reply.hijack();
    if (!reply.raw.destroyed) reply.raw.destroy();
    resolve(undefined);
  } else {
    const [status, text] = ERROR_RESPONSES[outcome.reason];
    reply.code(status).type("text/plain; charset=utf-8").send(`${text}\n`);
    resolve(undefined);
  }
}

function wrapHandler(
  tasks: RequestTasks,
  handler: RouteHandlerMethod,
  name: (request: FastifyRequest) => string,
): RouteHandlerMethod {
  return function runAsTask(this: FastifyInstance, request, reply) {
    if (!tasks.accepting()) {
      tasks.refused();
      const [status, text] = ERROR_RESPONSES.shutdown;
      reply.code(status).header("connection", "close").type("text/plain; charset=utf-8");
      return Promise.resolve(`${text}\n`);
    }
    return new Promise((resolve, reject) => {
      tasks.start(
        name(request),
        request.raw,
        reply.raw,
        () => handler.call(this, request, reply),
        (outcome, flight) => finishFastify(outcome, flight, reply, resolve, reject),
      );
    });
  };
}

function plugin(
  instance: FastifyInstance,
  options: FastifyTaskOptions,
  done: (error?: Error) => void,
): void {
  let tasks: RequestTasks;
  let name: (request: FastifyRequest) => string;
  try {
    checkKeys("fastifyTasks plugin", options, PLUGIN_KEYS);
    const resolved = resolveTaskOptions("fastifyTasks plugin", options);
    if (options?.name !== undefined && typeof options.name !== "function") {
      throw new TypeError(
        `fastifyTasks plugin "name" expected a function (request) => string, received ${describe(options.name)}`,
      );
    }
    name = options?.name ?? routeName;
    tasks = new RequestTasks(getEventLoop(), resolved, isServerError);
  } catch (error) {
    done(error as Error);
    return;
  }
  registries.set(instance, tasks);
  instance.addHook("onRoute", (route) => {
    route.handler = wrapHandler(tasks, route.handler, name);
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
