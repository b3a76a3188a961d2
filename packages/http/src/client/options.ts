/**
 * The options of {@link ClientSession} and of each request, and their validation. Bad options
 * fail at once, in the constructor or the call, with a `TypeError` (wrong type, unknown name)
 * or a `RangeError` (right type, value out of range) that names the option, what it expects
 * and what it received.
 * @module
 */

import type {
  ClientSessionOptions,
  HeadersInput,
  ResolvedRetry,
  ResolvedSessionOptions,
  ResolvedTimeouts,
  RetryOptions,
  TimeoutOptions,
} from "./option-types.js";

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

/**
 * The longest time, in seconds, a Node timer can wait (2^31 - 1 ms, about 24.8 days). The
 * client arms `setTimeout` (and undici's timers) with its durations: a longer one would fire
 * after 1 ms, so a 30-day timeout expired at once. Such values are refused; `null` disables a
 * timeout.
 * @example
 * ```ts
 * import { ClientSession, MAX_TIMER_SECONDS } from "@asyncio-ts/http";
 * const session = new ClientSession({ timeout: { total: Math.min(90 * 86_400, MAX_TIMER_SECONDS) } });
 * await session.close();
 * ```
 */
export const MAX_TIMER_SECONDS = 2_147_483;

const MAX_TIMER_NOTE = `at most ${MAX_TIMER_SECONDS} (about 24.8 days, the longest Node timer)`;

/** Validates a number option: finite, at least `min` (at most `max`), an integer when asked. */
export function checkNumber(
  name: string,
  value: unknown,
  opts: { min: number; integer?: boolean; exclusiveMin?: boolean; timer?: boolean },
): number {
  const kind = opts.integer ? "an integer" : "a number";
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${name} expected ${kind}, received ${describe(value)}`);
  }
  const tooSmall = opts.exclusiveMin ? value <= opts.min : value < opts.min;
  const tooLarge = opts.timer === true && value > MAX_TIMER_SECONDS;
  if (
    tooSmall ||
    tooLarge ||
    (opts.integer && !Number.isInteger(value)) ||
    value === Number.POSITIVE_INFINITY
  ) {
    const bound = opts.exclusiveMin ? `greater than ${opts.min}` : `at least ${opts.min}`;
    const upper = opts.timer === true ? ` and ${MAX_TIMER_NOTE}` : "";
    throw new RangeError(`${name} expected ${kind} ${bound}${upper}, received ${describe(value)}`);
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
        : checkNumber(`${where} "timeout.${key}" (seconds)`, v, {
            min: 0,
            exclusiveMin: true,
            timer: true,
          });
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
  const num = (
    key: keyof RetryOptions,
    dflt: number,
    min: number,
    integer = false,
    timer = false,
  ) =>
    r[key] === undefined
      ? dflt
      : checkNumber(`${where} "retry.${key}"`, r[key], { min, integer, timer });
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
    maxBackoff: num("maxBackoff", 30, 0, false, true),
    jitter: r.jitter === undefined ? true : checkBoolean(`${where} "retry.jitter"`, r.jitter),
    maxRetryAfter: num("maxRetryAfter", 60, 0, false, true),
  };
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
    baseUrl = parseHttpUrl(
      `${where} "baseUrl"`,
      String(o.baseUrl),
      null,
      ' (such as "https://api.example.com/v1/")',
    );
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
            timer: true,
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
export function parseHttpUrl(
  where: string,
  input: string,
  base: URL | null,
  relativeHint = " (relative URLs need the session option baseUrl)",
): URL {
  let url: URL;
  try {
    url = base === null ? new URL(input) : new URL(input, base);
  } catch (cause) {
    const hint = base === null ? relativeHint : "";
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
