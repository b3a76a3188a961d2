/**
 * The options of {@link ClientSession} and of each request, and their validation. Bad options
 * fail at once, in the constructor or the call, with a `TypeError` (wrong type, unknown name)
 * or a `RangeError` (right type, value out of range) that names the option, what it expects
 * and what it received.
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

/** A short description of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : `${value} (number)`;
  if (typeof value === "string") return `${JSON.stringify(value.slice(0, 60))} (string)`;
  if (typeof value === "object") {
    const ctor = (value as object).constructor?.name;
    return ctor && ctor !== "Object" ? `an instance of ${ctor}` : "an object";
  }
  return `a ${typeof value}`;
}

/** Throws unless `options` is undefined or a plain object whose keys are all in `known`. */
export function checkKeys(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${where} expected an options object, received ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where} has no option "${key}"; expected one of: ${known.join(", ")}`);
    }
  }
}

/** Validates a number option: finite, at least `min`, an integer when asked. */
export function checkNumber(
  name: string,
  value: unknown,
  opts: { min: number; integer?: boolean; exclusiveMin?: boolean },
): number {
  const kind = opts.integer ? "an integer" : "a number";
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${name} expected ${kind}, received ${describe(value)}`);
  }
  const tooSmall = opts.exclusiveMin ? value <= opts.min : value < opts.min;
  if (
    tooSmall ||
    (opts.integer && !Number.isInteger(value)) ||
    value === Number.POSITIVE_INFINITY
  ) {
    const bound = opts.exclusiveMin ? `greater than ${opts.min}` : `at least ${opts.min}`;
    throw new RangeError(`${name} expected ${kind} ${bound}, received ${describe(value)}`);
  }
  return value;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(`${name} expected true or false, received ${describe(value)}`);
  }
  return value;
}

const TIMEOUT_KEYS = ["total", "connect", "sockRead"] as const;

/** Validates `timeout`, filling what it leaves out from `base`. */
export function resolveTimeouts(
  where: string,
  input: TimeoutOptions | undefined,
  base: ResolvedTimeouts,
): ResolvedTimeouts {
  checkKeys(`${where} "timeout"`, input, TIMEOUT_KEYS);
  if (input === undefined) return base;
  const out = { ...base };
  for (const key of TIMEOUT_KEYS) {
    const v = input[key];
    if (v === undefined) continue;
    out[key] =
      v === null
        ? null
        : checkNumber(`${where} "timeout.${key}" (seconds)`, v, { min: 0, exclusiveMin: true });
  }
  return out;
}

const RETRY_KEYS = [
  "attempts",
  "statuses",
  "methods",
  "backoff",
  "factor",
  "maxBackoff",
  "jitter",
  "maxRetryAfter",
] as const;
const DEFAULT_STATUSES = [408, 429, 500, 502, 503, 504];
/** RFC 9110 section 9.2.2: repeating these has the same effect as sending them once. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PUT",
  "DELETE",
]);

/** The policy of a session that does not retry. */
export const NO_RETRY: ResolvedRetry = {
  attempts: 1,
  statuses: new Set(),
  methods: IDEMPOTENT_METHODS,
  backoff: 0.1,
  factor: 2,
  maxBackoff: 30,
  jitter: true,
  maxRetryAfter: 60,
};

/** Validates `retry`: `false`/undefined = no retry, a number = attempts, an object = policy. */
export function resolveRetry(where: string, input: unknown): ResolvedRetry {
  if (input === undefined || input === false) return NO_RETRY;
  if (typeof input === "number") input = { attempts: input };
  checkKeys(`${where} "retry"`, input, RETRY_KEYS);
  const r = input as RetryOptions;
  const num = (key: keyof RetryOptions, dflt: number, min: number, integer = false) =>
    r[key] === undefined ? dflt : checkNumber(`${where} "retry.${key}"`, r[key], { min, integer });
  const statuses = new Set<number>();
  for (const s of r.statuses ?? DEFAULT_STATUSES) {
    statuses.add(checkNumber(`${where} "retry.statuses" entry`, s, { min: 100, integer: true }));
  }
  const methods = new Set<string>();
  for (const m of r.methods ?? IDEMPOTENT_METHODS) {
    if (typeof m !== "string") {
      throw new TypeError(
        `${where} "retry.methods" expected method names, received ${describe(m)}`,
      );
    }
    methods.add(m.toUpperCase());
  }
  return {
    attempts: num("attempts", 3, 1, true),
    statuses,
    methods,
    backoff: num("backoff", 0.1, 0),
    factor: num("factor", 2, 1),
    maxBackoff: num("maxBackoff", 30, 0),
    jitter: r.jitter === undefined ? true : checkBoolean(`${where} "retry.jitter"`, r.jitter),
    maxRetryAfter: num("maxRetryAfter", 60, 0),
  };
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

const SESSION_KEYS = [
  "baseUrl",
  "headers",
  "limit",
  "limitPerHost",
  "timeout",
  "maxRedirects",
  "maxResponseSize",
  "retry",
  "raiseForStatus",
  "keepAliveTimeout",
] as const;

/** aiohttp's defaults: 5 minutes in total, 30 s to connect, no read timeout. */
export const DEFAULT_TIMEOUTS: ResolvedTimeouts = { total: 300, connect: 30, sockRead: null };

/** Validates and completes the options of `new ClientSession(options)`. */
export function resolveSessionOptions(
  options: ClientSessionOptions | undefined,
): ResolvedSessionOptions {
  const where = "ClientSession option";
  checkKeys("new ClientSession()", options, SESSION_KEYS);
  const o = options ?? {};
  let baseUrl: URL | null = null;
  if (o.baseUrl !== undefined) {
    if (typeof o.baseUrl !== "string" && !(o.baseUrl instanceof URL)) {
      throw new TypeError(
        `${where} "baseUrl" expected a string or URL, received ${describe(o.baseUrl)}`,
      );
    }
    baseUrl = parseHttpUrl(`${where} "baseUrl"`, String(o.baseUrl), null);
  }
  return {
    baseUrl,
    headers: normalizeHeaders(`${where} "headers"`, o.headers),
    limit:
      o.limit === undefined
        ? 100
        : checkNumber(`${where} "limit"`, o.limit, { min: 0, integer: true }),
    limitPerHost:
      o.limitPerHost === undefined
        ? 0
        : checkNumber(`${where} "limitPerHost"`, o.limitPerHost, { min: 0, integer: true }),
    timeout: resolveTimeouts(where, o.timeout, DEFAULT_TIMEOUTS),
    maxRedirects:
      o.maxRedirects === undefined
        ? 10
        : checkNumber(`${where} "maxRedirects"`, o.maxRedirects, { min: 0, integer: true }),
    maxResponseSize: resolveMaxSize(where, o.maxResponseSize, null),
    retry: resolveRetry(where, o.retry),
    raiseForStatus:
      o.raiseForStatus === undefined
        ? false
        : checkBoolean(`${where} "raiseForStatus"`, o.raiseForStatus),
    keepAliveTimeout:
      o.keepAliveTimeout === undefined
        ? 4
        : checkNumber(`${where} "keepAliveTimeout" (seconds)`, o.keepAliveTimeout, {
            min: 0,
            exclusiveMin: true,
          }),
  };
}

/** Validates `maxResponseSize`: bytes (a non-negative integer) or null. */
export function resolveMaxSize(where: string, value: unknown, dflt: number | null): number | null {
  if (value === undefined) return dflt;
  if (value === null) return null;
  return checkNumber(`${where} "maxResponseSize" (bytes)`, value, { min: 0, integer: true });
}

/** Parses an absolute http(s) URL, relative to `base` when given. */
export function parseHttpUrl(where: string, input: string, base: URL | null): URL {
  let url: URL;
  try {
    url = base === null ? new URL(input) : new URL(input, base);
  } catch (cause) {
    const hint = base === null ? " (relative URLs need the session option baseUrl)" : "";
    throw new TypeError(
      `${where} expected an absolute http(s) URL, received ${describe(input)}${hint}`,
      {
        cause,
      },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`${where} expected an http: or https: URL, received ${describe(url.href)}`);
  }
  return url;
}

/** Headers as a record with lower-case names (undici's fastest input form). */
export function normalizeHeaders(
  where: string,
  input: HeadersInput | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (input === undefined) return out;
  if (input === null || typeof input !== "object") {
    throw new TypeError(
      `${where} expected a record, Headers or [name, value] pairs, received ${describe(input)}`,
    );
  }
  const put = (name: unknown, value: unknown) => {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(`${where} expected header names as strings, received ${describe(name)}`);
    }
    if (value === undefined) return;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  };
  if (Symbol.iterator in input) {
    for (const pair of input as Iterable<readonly [string, string]>) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${where} expected [name, value] pairs, received ${describe(pair)}`);
      }
      put(pair[0], pair[1]);
    }
  } else {
    for (const [name, value] of Object.entries(input)) put(name, value);
  }
  return out;
}
