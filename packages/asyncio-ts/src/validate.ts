/**
 * Argument checks shared by the public functions: one wording for every "expected X, got Y".
 */
import { describe } from "./errors.js";

/** A RangeError that names the function, the option, what was expected and what arrived. */
export class RangeErrorFor extends RangeError {
  constructor(fn: string, option: string, expected: string, got: unknown) {
    super(`${fn} expected ${option} to be ${expected}, got ${describe(got)}`);
  }
}

/** A timeout in seconds or null (no timeout); NaN and non-numbers are rejected. */
export function validateTimeout(fn: string, timeout: unknown): number | null {
  const invalid = timeoutError(fn, timeout);
  if (invalid !== null) throw invalid;
  return (timeout as number | null | undefined) ?? null;
}

/** validateTimeout's check, returning the error (see delayError); null for a valid timeout. */
export function timeoutError(fn: string, timeout: unknown): TypeError | RangeError | null {
  if (timeout === null || timeout === undefined) return null;
  if (typeof timeout !== "number") {
    return new TypeError(
      `${fn} expected a timeout in seconds (a number or null), got ${describe(timeout)}`,
    );
  }
  if (Number.isNaN(timeout)) {
    return new RangeError(`${fn} expected a timeout in seconds (a number or null), got NaN`);
  }
  return null;
}

/** A body function (of timeout(), taskGroup()...), or the TypeError to reject with; null if valid. */
export function bodyError(fn: string, body: unknown, like: string): TypeError | null {
  if (typeof body === "function") return null;
  return new TypeError(`${fn} expected a body function (like \`${like}\`), got ${describe(body)}`);
}

/** A delay in seconds: a number (NaN is a RangeError); negative delays act as 0, as in asyncio. */
export function validateDelay(fn: string, delay: unknown): number {
  const invalid = delayError(fn, delay);
  if (invalid !== null) throw invalid;
  return (delay as number) < 0 ? 0 : (delay as number);
}

/**
 * validateDelay's check, returning the error instead of throwing it: for promise-returning
 * functions on hot paths, which reject (docs/errors.md) and must not pay for a try/catch or an
 * extra async function on the happy path. Null when `delay` is a valid delay.
 */
export function delayError(fn: string, delay: unknown): TypeError | RangeError | null {
  if (typeof delay !== "number") {
    return new TypeError(`${fn} expected a delay in seconds as a number, got ${describe(delay)}`);
  }
  if (Number.isNaN(delay)) return new RangeError(`${fn} expected a delay in seconds, got NaN`);
  return null;
}

/**
 * An options object (or undefined) whose every key is one of `known`: a misspelt option
 * (`{ timout: 1 }`) is a TypeError naming it and the options there are, not a silent default.
 * Uses `for...in` rather than `Object.keys`, so a check on a hot path allocates nothing.
 */
export function checkOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${fn} expected an options object, got ${describe(options)}`);
  }
  for (const key in options) {
    if (!known.includes(key)) {
      throw new TypeError(`${fn} has no option "${key}"; expected one of: ${known.join(", ")}`);
    }
  }
}

/** An iterable argument (a list of awaitables, of items); anything else is a TypeError. */
export function checkIterable(fn: string, what: string, value: unknown): void {
  if (
    value === null ||
    typeof (value as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(`${fn} expected ${what}, got ${describe(value)}`);
  }
}
