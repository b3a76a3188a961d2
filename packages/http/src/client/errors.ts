/**
 * The errors of the HTTP client, after aiohttp's `client_exceptions`. Every error names the
 * method and URL it concerns and keeps what caused it in `cause` (the undici or socket error),
 * so a log line shows the whole chain.
 *
 * ```
 * Error
 * ├── ClientError                    (base of the client's own errors)
 * │   ├── ClientResponseError        (raiseForStatus: status >= 400)
 * │   ├── ClientConnectionError      (refused, reset, DNS failure, session closed)
 * │   ├── ClientPayloadError         (truncated body, body that is not valid JSON)
 * │   ├── TooManyRedirectsError      (more than maxRedirects redirects)
 * │   └── ResponseTooLargeError      (body larger than maxResponseSize)
 * └── TimeoutError (asyncio-ts)
 *     └── ClientTimeoutError         (phase: "total" | "connect" | "sockRead")
 * ```
 * @module
 */
import { TimeoutError } from "asyncio-ts";

/**
 * Where an error happened: the request it belongs to.
 * @example
 * ```ts
 * import { ClientError, type RequestInfo } from "@asyncio-ts/http";
 * const where: RequestInfo = { method: "GET", url: "https://example.com/" };
 * console.log(new ClientError("custom failure", where).message); // "custom failure (GET https://example.com/)"
 * ```
 */
export interface RequestInfo {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The absolute URL of the request (the redirect target when a redirect failed). */
  readonly url: string;
}

/**
 * The base class of the client's errors (aiohttp's `ClientError`); a timeout is the exception:
 * it is a {@link ClientTimeoutError}, which extends asyncio-ts's `TimeoutError`.
 * @example
 * ```ts
 * import { ClientSession, ClientError } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * try {
 *   await session.get("http://127.0.0.1:1/");
 * } catch (e) {
 *   if (e instanceof ClientError) console.log(e.method, e.url, e.cause);
 * }
 * ```
 */
export class ClientError extends Error {
  override name = "ClientError";
  /** The HTTP method of the request that failed. */
  readonly method: string;
  /** The URL of the request that failed. */
  readonly url: string;
  constructor(message: string, request: RequestInfo, options?: { cause?: unknown }) {
    super(`${message} (${request.method} ${request.url})`, options);
    this.method = request.method;
    this.url = request.url;
  }
}

/**
 * The server answered with a status of 400 or more and `raiseForStatus` was on (aiohttp's
 * `ClientResponseError`). The body was released; `status`, `statusText` and `headers` remain.
 * @example
 * ```ts
 * import { ClientSession, ClientResponseError } from "@asyncio-ts/http";
 * await using session = new ClientSession({ raiseForStatus: true });
 * try {
 *   await session.get("https://example.com/missing");
 * } catch (e) {
 *   if (e instanceof ClientResponseError && e.status === 404) console.log("not found:", e.url);
 * }
 * ```
 */
export class ClientResponseError extends ClientError {
  override name = "ClientResponseError";
  /** The HTTP status code (400 or more). */
  readonly status: number;
  /** The reason phrase the server sent, possibly empty. */
  readonly statusText: string;
  /** The response headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  constructor(
    request: RequestInfo,
    status: number,
    statusText: string,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ""}`, request);
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
  }
}

/**
 * The connection could not be made or broke before a response arrived: refused, reset, DNS
 * failure, TLS failure, or the session was closed while the request was in flight.
 * `cause` holds the socket or undici error (with its `code`, such as `ECONNREFUSED`).
 * @example
 * ```ts
 * import { ClientSession, ClientConnectionError } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * try {
 *   await session.get("http://127.0.0.1:1/");
 * } catch (e) {
 *   if (e instanceof ClientConnectionError) console.log((e.cause as { code?: string }).code); // "ECONNREFUSED"
 * }
 * ```
 */
export class ClientConnectionError extends ClientError {
  override name = "ClientConnectionError";
}

/**
 * The response body could not be read completely or decoded: the connection broke in the
 * middle of the body, the length did not match `content-length`, or `json()` met invalid JSON.
 * @example
 * ```ts
 * import { ClientSession, ClientPayloadError } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * const res = await session.get("https://example.com/");
 * try { await res.json(); } catch (e) { if (e instanceof ClientPayloadError) console.log(e.message); }
 * ```
 */
export class ClientPayloadError extends ClientError {
  override name = "ClientPayloadError";
}

/**
 * More redirects than `maxRedirects` were followed (aiohttp's `TooManyRedirects`), typically a
 * redirect loop. `history` lists every URL visited, the first request's URL first.
 * @example
 * ```ts
 * import { ClientSession, TooManyRedirectsError } from "@asyncio-ts/http";
 * await using session = new ClientSession({ maxRedirects: 3 });
 * try {
 *   await session.get("https://example.com/loop");
 * } catch (e) {
 *   if (e instanceof TooManyRedirectsError) console.log(e.history.join(" -> "));
 * }
 * ```
 */
export class TooManyRedirectsError extends ClientError {
  override name = "TooManyRedirectsError";
  /** Every URL requested, in order, the one that redirected once too often last. */
  readonly history: readonly string[];
  /** The limit that was exceeded. */
  readonly maxRedirects: number;
  constructor(request: RequestInfo, history: readonly string[], maxRedirects: number) {
    super(`too many redirects: more than maxRedirects = ${maxRedirects}`, request);
    this.history = history;
    this.maxRedirects = maxRedirects;
  }
}

/**
 * The response body is larger than `maxResponseSize`: announced by `content-length`, or found
 * while reading (the transfer is aborted at once, so an endless body cannot exhaust memory).
 * @example
 * ```ts
 * import { ClientSession, ResponseTooLargeError } from "@asyncio-ts/http";
 * await using session = new ClientSession({ maxResponseSize: 1_000_000 });
 * try {
 *   await (await session.get("https://example.com/huge")).bytes();
 * } catch (e) {
 *   if (e instanceof ResponseTooLargeError) console.log(e.limit, e.received);
 * }
 * ```
 */
export class ResponseTooLargeError extends ClientError {
  override name = "ResponseTooLargeError";
  /** The limit in bytes (`maxResponseSize`). */
  readonly limit: number;
  /** Bytes received (or announced by `content-length`) when the limit was passed. */
  readonly received: number;
  constructor(request: RequestInfo, limit: number, received: number, announced: boolean) {
    super(
      `response body too large: ${announced ? "content-length announces" : "received"} ${received} bytes, maxResponseSize is ${limit}`,
      request,
    );
    this.limit = limit;
    this.received = received;
  }
}

/**
 * Which timeout of {@link ClientTimeoutError} expired.
 * @example
 * ```ts
 * import type { TimeoutPhase } from "@asyncio-ts/http";
 * const retryable = (phase: TimeoutPhase) => phase !== "total";
 * ```
 */
export type TimeoutPhase = "total" | "connect" | "sockRead";

const PHASE_TEXT: Record<TimeoutPhase, string> = {
  total: "for the whole request (timeout.total)",
  connect: "for a connection, including the wait for a pool slot (timeout.connect)",
  sockRead: "for data from the server (timeout.sockRead)",
};

/**
 * One of the session's timeouts expired. It extends asyncio-ts's `TimeoutError` (and keeps
 * its `name`, `"TimeoutError"`), so `catch (e) { if (e instanceof TimeoutError) ... }` catches
 * HTTP timeouts and `timeout()` scopes alike; `phase` says which one it was.
 * @example
 * ```ts
 * import { TimeoutError } from "asyncio-ts";
 * import { ClientSession, ClientTimeoutError } from "@asyncio-ts/http";
 * await using session = new ClientSession({ timeout: { total: 5, connect: 1, sockRead: 2 } });
 * try {
 *   await session.get("https://example.com/slow");
 * } catch (e) {
 *   if (e instanceof ClientTimeoutError) console.log(e.phase, e.seconds, e.url);
 *   else if (e instanceof TimeoutError) console.log("some other deadline");
 * }
 * ```
 */
export class ClientTimeoutError extends TimeoutError {
  // Same name as the base class on purpose: code that tests `err.name === "TimeoutError"`
  // (the asyncio idiom) must see HTTP timeouts too. `instanceof ClientTimeoutError` tells them apart.
  override name = "TimeoutError";
  /** Which timeout expired. */
  readonly phase: TimeoutPhase;
  /** The configured length of that timeout, in seconds. */
  readonly seconds: number;
  /** The HTTP method of the request. */
  readonly method: string;
  /** The URL of the request. */
  readonly url: string;
  constructor(phase: TimeoutPhase, seconds: number, request: RequestInfo, cause?: unknown) {
    super(
      `timed out after ${seconds} s waiting ${PHASE_TEXT[phase]} (${request.method} ${request.url})`,
      cause === undefined ? undefined : { cause },
    );
    this.phase = phase;
    this.seconds = seconds;
    this.method = request.method;
    this.url = request.url;
  }
}
