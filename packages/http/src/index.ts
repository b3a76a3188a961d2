/**
 * `@asyncio-ts/http`: aiohttp's `ClientSession` for asyncio-ts, on undici. Requests are
 * cancellation points of the calling task; timeouts are in seconds and say which phase
 * expired; connections are pooled with total and per-host caps.
 * @example
 * ```ts
 * import { run } from "asyncio-ts";
 * import { ClientSession } from "@asyncio-ts/http";
 * await run(async () => {
 *   await using session = new ClientSession();
 *   const res = await session.get("https://example.com/");
 *   console.log(res.status, (await res.text()).length);
 * });
 * ```
 * @module
 */
export {
  ClientConnectionError,
  ClientError,
  ClientPayloadError,
  ClientResponseError,
  ClientTimeoutError,
  type RequestInfo,
  ResponseTooLargeError,
  type TimeoutPhase,
  TooManyRedirectsError,
} from "./client/errors.js";
export { ResponseHeaders } from "./client/headers.js";
export type {
  BodyInput,
  ClientSessionOptions,
  HeadersInput,
  RequestOptions,
  RetryOptions,
  TimeoutOptions,
} from "./client/option-types.js";
export { MAX_TIMER_SECONDS } from "./client/options.js";
export { ClientResponse } from "./client/response.js";
export { ClientSession, type SessionStatistics } from "./client/session.js";
// Server side: request handlers as tasks (node:http adapter and Fastify plugin)
export {
  type FastifyTaskOptions,
  fastifyTaskStatistics,
  fastifyTasks,
  type ServeFastifyOptions,
  serveFastify,
} from "./server/fastify.js";
export {
  HttpServer,
  type RequestHandler,
  type ShutdownOptions,
  startServer,
} from "./server/http-server.js";
export type { RequestTaskOptions, StartServerOptions } from "./server/options.js";
export type { ServerStatistics } from "./server/request-tasks.js";
export { type ServeOptions, serve } from "./server/serve.js";
