/**
 * Options of the server side (`serve`, `startServer`, the Fastify plugin): their types, their
 * defaults and their validation. Times are seconds, as everywhere in asyncio-ts.
 * @module
 */
import type { IncomingMessage } from "node:http";
import { checkKeys, checkNumber, describe } from "../client/options.js";

/** What every integration accepts: how long a request may run, how long shutdown waits. */
export interface RequestTaskOptions {
  /**
   * Seconds a request's handler may run (null or undefined: no deadline, the default). On
   * expiry the handler's task is cancelled and the client gets 504 Gateway Timeout, unless the
   * response headers were already sent (then the connection is closed, so the truncated
   * response cannot pass for a complete one).
   */
  deadline?: number | null;
  /**
   * Seconds that graceful shutdown lets in-flight requests finish before it cancels their
   * handlers (default 10; 0 cancels at once).
   */
  gracePeriod?: number;
}

/** Options of `startServer` and `serve` (the node:http adapter). */
export interface StartServerOptions extends RequestTaskOptions {
  /** TCP port (default 8080; 0 picks a free port, read it from `server.port`). */
  port?: number;
  /** Interface to bind (default "127.0.0.1"; "0.0.0.0" or "::" to listen on every interface). */
  host?: string;
  /** The task name of a request (default: the method and the path, like `"GET /burgers"`). */
  name?: (req: IncomingMessage) => string;
}

/** The validated options; `name` is filled in by the adapter. */
export interface ResolvedTaskOptions {
  deadline: number | null;
  gracePeriod: number;
}

/** Default seconds of graceful shutdown before in-flight handlers are cancelled. */
export const DEFAULT_GRACE_PERIOD = 10;
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = "127.0.0.1";

export const TASK_OPTION_KEYS = ["deadline", "gracePeriod"] as const;
export const START_OPTION_KEYS = [...TASK_OPTION_KEYS, "port", "host", "name"] as const;

/** Validates `deadline` and `gracePeriod` (`where` names the caller in error messages). */
export function resolveTaskOptions(
  where: string,
  options: RequestTaskOptions | undefined,
): ResolvedTaskOptions {
  const o = options ?? {};
  let deadline: number | null = null;
  if (o.deadline !== undefined && o.deadline !== null) {
    deadline = checkNumber(`${where} "deadline" (seconds)`, o.deadline, {
      min: 0,
      exclusiveMin: true,
    });
  }
  const gracePeriod =
    o.gracePeriod === undefined
      ? DEFAULT_GRACE_PERIOD
      : checkNumber(`${where} "gracePeriod" (seconds)`, o.gracePeriod, { min: 0 });
  return { deadline, gracePeriod };
}

/** Validates the options of `startServer`/`serve`. */
export function resolveStartOptions(
  where: string,
  options: StartServerOptions | undefined,
): ResolvedTaskOptions & { port: number; host: string; name: (req: IncomingMessage) => string } {
  checkKeys(where, options, START_OPTION_KEYS);
  const o = options ?? {};
  const port =
    o.port === undefined
      ? DEFAULT_PORT
      : checkNumber(`${where} "port"`, o.port, { min: 0, integer: true });
  if (port > 65535) {
    throw new RangeError(`${where} "port" expected an integer from 0 to 65535, received ${port}`);
  }
  if (o.host !== undefined && (typeof o.host !== "string" || o.host === "")) {
    throw new TypeError(
      `${where} "host" expected a non-empty string, received ${describe(o.host)}`,
    );
  }
  if (o.name !== undefined && typeof o.name !== "function") {
    throw new TypeError(
      `${where} "name" expected a function (req) => string, received ${describe(o.name)}`,
    );
  }
  return {
    ...resolveTaskOptions(where, o),
    port,
    host: o.host ?? DEFAULT_HOST,
    name: o.name ?? methodAndPath,
  };
}

/** The default task name of a request: `"GET /burgers"` (the query string left out). */
export function methodAndPath(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  return `${req.method} ${query === -1 ? url : url.slice(0, query)}`;
}
