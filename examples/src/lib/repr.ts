/**
 * Python-like printing for the values the seeds print (`print(results)`), so the ported output
 * reads like the original: strings quoted, errors as `RangeError('Error!')`, lists in brackets.
 */
import { inspect } from "node:util";

/**
 * A one-line representation of `value`, in the spirit of Python's `repr`.
 *
 * @example
 * ```ts
 * import { repr } from "./lib/repr.js";
 * console.log(repr([1, new RangeError("Error!"), "three"])); // [1, RangeError('Error!'), 'three']
 * ```
 */
export function repr(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(repr).join(", ")}]`;
  if (value instanceof Error) return `${value.name}(${repr(value.message)})`;
  if (typeof value === "string") return `'${value}'`;
  return inspect(value, { breakLength: Number.POSITIVE_INFINITY });
}

/**
 * A duration or loop time in seconds with one decimal ("3.0"), so a program prints the same
 * under the virtual clock (exact) and in real time (a few milliseconds late).
 *
 * @example
 * ```ts
 * import { seconds } from "./lib/repr.js";
 * console.log(seconds(3.0021)); // "3.0"
 * ```
 */
export function seconds(value: number): string {
  return value.toFixed(1);
}
