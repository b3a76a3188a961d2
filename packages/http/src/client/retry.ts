/**
 * Retry policy helpers: which outcomes are retried, and how long to wait before the next
 * attempt (exponential backoff with full jitter, or the server's `Retry-After`).
 * @module
 */
import { ClientConnectionError, ClientTimeoutError } from "./errors.js";
import type { RawHeaders } from "./headers.js";
import type { ResolvedRetry } from "./option-types.js";

/**
 * Seconds before retry number `retry` (1 for the first retry): `backoff * factor^(retry-1)`,
 * capped at `maxBackoff`, then with full jitter a uniform random time between 0 and that
 * (AWS's "full jitter", which spreads clients that failed together).
 */
export function backoffDelay(policy: ResolvedRetry, retry: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxBackoff, policy.backoff * policy.factor ** (retry - 1));
  return policy.jitter ? random() * ceiling : ceiling;
}

/**
 * The delay a `Retry-After` header asks for, in seconds: either delay-seconds or an HTTP date
 * (RFC 9110 section 10.2.3). Null when absent or unparsable; never negative.
 */
export function parseRetryAfter(headers: RawHeaders, now = Date.now()): number | null {
  const raw = headers["retry-after"];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (value === undefined || value === "") return null;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, (date - now) / 1000);
}

/** Whether an error is worth another attempt: a connection failure or a connect/read timeout. */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof ClientConnectionError) return true;
  return error instanceof ClientTimeoutError && error.phase !== "total";
}
