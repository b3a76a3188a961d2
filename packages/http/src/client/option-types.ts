/**
 * The option types of {@link ClientSession} and of each request (validated in options.ts).
 * @module
 */

/**
 * Timeouts in seconds; `null` disables one, leaving one out keeps the session's (or the default).
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * const session = new ClientSession({ timeout: { total: 60, connect: 5, sockRead: 15 } });
 * await session.get("https://example.com/", { timeout: { total: null } }); // no total for this one
 * ```
 */
export interface TimeoutOptions {
  /** The whole operation: every attempt, redirect and retry wait, and reading the body. Default 300. */
  total?: number | null;
  /** Getting a connection: the wait for a pool slot (`limit`, `limitPerHost`) plus the TCP/TLS connect. Default 30. */
  connect?: number | null;
  /** The longest silence while waiting for the response headers or between body chunks. Default none. */
  sockRead?: number | null;
}

/**
 * Retrying failed idempotent requests. Pass a number as a shorthand for `{ attempts }`.
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * const session = new ClientSession({ retry: { attempts: 5, statuses: [429, 503], backoff: 0.5 } });
 * ```
 */
export interface RetryOptions {
  /** How many attempts in total, the first one included (1 = no retry). Default 3. */
  attempts?: number;
  /** Statuses that are retried. Default 408, 429, 500, 502, 503, 504. */
  statuses?: Iterable<number>;
  /** Methods that are retried. Default the idempotent ones: GET, HEAD, OPTIONS, TRACE, PUT, DELETE. */
  methods?: Iterable<string>;
  /** Seconds before the first retry; doubled (by `factor`) each time. Default 0.1. */
  backoff?: number;
  /** Growth factor of the backoff. Default 2. */
  factor?: number;
  /** Upper bound of one backoff, in seconds. Default 30. */
  maxBackoff?: number;
  /** Full jitter: wait a random time between 0 and the backoff (spreads retry storms). Default true. */
  jitter?: boolean;
  /** A `Retry-After` longer than this (seconds) is not waited for: the response is returned. Default 60. */
  maxRetryAfter?: number;
}

/**
 * Header values as a record, a `Headers` object or `[name, value]` pairs; names in any case.
 * @example
 * ```ts
 * import type { HeadersInput } from "@asyncio-ts/http";
 * const headers: HeadersInput = { "User-Agent": "my-bot/1.0", accept: "text/html" };
 * ```
 */
export type HeadersInput =
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>;

/**
 * Options of `new ClientSession(options)`, named as in aiohttp (camelCase, seconds).
 * @example
 * ```ts
 * import { ClientSession, type ClientSessionOptions } from "@asyncio-ts/http";
 * const options: ClientSessionOptions = { baseUrl: "https://example.com/", limitPerHost: 2 };
 * await using session = new ClientSession(options);
 * ```
 */
export interface ClientSessionOptions {
  /** Relative request URLs are resolved against it (`new URL(url, baseUrl)`). */
  baseUrl?: string | URL;
  /** Headers sent with every request; a request's own headers override them by name. */
  headers?: HeadersInput;
  /** Connections in use at once, all hosts together; 0 = no limit. Default 100. */
  limit?: number;
  /** Connections in use at once per origin (scheme, host, port); 0 = no per-host cap. Default 0. */
  limitPerHost?: number;
  /** Timeouts in seconds. */
  timeout?: TimeoutOptions;
  /** Redirects followed before {@link TooManyRedirectsError}. Default 10. */
  maxRedirects?: number;
  /** Largest response body in bytes, else {@link ResponseTooLargeError}; `null` = no limit (default). */
  maxResponseSize?: number | null;
  /** Retry idempotent requests on connection errors, connect/read timeouts and some statuses. Off by default. */
  retry?: RetryOptions | number | false;
  /** Throw {@link ClientResponseError} for statuses of 400 and more. Default false. */
  raiseForStatus?: boolean;
  /** Seconds an idle keep-alive connection is kept, well under the usual 5-60 s of servers and load balancers. Default 4. */
  keepAliveTimeout?: number;
}

/**
 * A request body: text, bytes, a form, or a stream of bytes (not replayable: never retried).
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * await session.post("https://example.com/form", { body: new URLSearchParams({ q: "lamp" }) });
 * ```
 */
export type BodyInput =
  | string
  | Uint8Array
  | URLSearchParams
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | null;

/**
 * Options of one request; the session's options apply where they are left out.
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * await session.get("https://example.com/search", { params: { q: "lamp" }, allowRedirects: false });
 * ```
 */
export interface RequestOptions {
  /** Query parameters appended to the URL. */
  params?:
    | URLSearchParams
    | Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>;
  /** Headers of this request, overriding the session's by name. */
  headers?: HeadersInput;
  /** The request body. */
  body?: BodyInput;
  /** A value sent as JSON (`content-type: application/json`); exclusive with `body`. */
  json?: unknown;
  /** Timeouts of this request, each one overriding the session's. */
  timeout?: TimeoutOptions;
  /** Follow redirects. Default true. */
  allowRedirects?: boolean;
  /** Overrides the session's `maxRedirects`. */
  maxRedirects?: number;
  /** Overrides the session's `maxResponseSize`. */
  maxResponseSize?: number | null;
  /** Overrides the session's `retry`. */
  retry?: RetryOptions | number | false;
  /** Overrides the session's `raiseForStatus`. */
  raiseForStatus?: boolean;
  /** An extra signal that aborts the request (the calling task's cancellation already does). */
  signal?: AbortSignal;
}

/** Timeouts after validation: seconds or null. */
export interface ResolvedTimeouts {
  total: number | null;
  connect: number | null;
  sockRead: number | null;
}

/** Retry policy after validation. */
export interface ResolvedRetry {
  attempts: number;
  statuses: ReadonlySet<number>;
  methods: ReadonlySet<string>;
  backoff: number;
  factor: number;
  maxBackoff: number;
  jitter: boolean;
  maxRetryAfter: number;
}

/** Session options after validation. */
export interface ResolvedSessionOptions {
  baseUrl: URL | null;
  headers: Record<string, string>;
  limit: number;
  limitPerHost: number;
  timeout: ResolvedTimeouts;
  maxRedirects: number;
  maxResponseSize: number | null;
  retry: ResolvedRetry;
  raiseForStatus: boolean;
  keepAliveTimeout: number;
}
