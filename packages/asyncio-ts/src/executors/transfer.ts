/**
 * Transfer lists for executor calls: `withTransfer(value, list)` marks an argument (or a
 * worker function's result) whose `ArrayBuffer`s, `MessagePort`s, ... should be moved to the
 * other side instead of copied. After the move they are detached (unusable) on the sender's side.
 * @module
 */
import type { TransferListItem } from "node:worker_threads";

/** Brand of the markers, shared by every copy of the library (the worker loads its own copy). */
const TRANSFER = Symbol.for("asyncio-ts.withTransfer");

/**
 * What a transfer list may hold. `ArrayBufferLike` is accepted because typed arrays are typed
 * with it (`Uint8Array.buffer`); a `SharedArrayBuffer` is shared anyway and must not be listed
 * (the call then fails with a clone error).
 * @example
 * ```ts
 * import { type TransferItem, withTransfer } from "asyncio-ts";
 * const bytes = new Uint8Array(16);
 * const list: TransferItem[] = [bytes.buffer];
 * const arg = withTransfer(bytes, list);
 * ```
 */
export type TransferItem = TransferListItem | ArrayBufferLike;

interface TransferMarker {
  readonly [TRANSFER]: true;
  readonly value: unknown;
  readonly transfer: readonly TransferItem[];
}

/** Shared empty transfer list for the common case, so no array is allocated per call. */
const NONE: readonly TransferListItem[] = Object.freeze([]);

/**
 * Marks `value` to be sent with `transfer` as its transfer list. Pass the result as an argument
 * of `submit`, `map`, `toThread` or `runInExecutor`, or return it from a worker function. The
 * executor unwraps the marker, so the function receives (and the caller gets) `value` itself;
 * the type says `T` for that reason. Only top-level arguments and results are unwrapped.
 * Process pools copy instead of transferring (a pipe cannot move memory); the call still works.
 * @example
 * ```ts
 * import { toThread, withTransfer } from "asyncio-ts";
 * const bytes = new Uint8Array(1 << 20);
 * const sum = await toThread((b: Uint8Array) => b.reduce((s, x) => s + x, 0), withTransfer(bytes, [bytes.buffer]));
 * console.log(sum, bytes.byteLength); // 0 0 (the buffer moved to the worker)
 * ```
 */
export function withTransfer<T>(value: T, transfer: readonly TransferItem[]): T {
  if (!Array.isArray(transfer)) {
    throw new TypeError(`withTransfer: expected an array transfer list, got ${typeof transfer}`);
  }
  const marker: TransferMarker = { [TRANSFER]: true, value, transfer };
  return marker as T;
}

function isMarker(value: unknown): value is TransferMarker {
  return typeof value === "object" && value !== null && (value as any)[TRANSFER] === true;
}

/** A value with its marker removed, and the transfer list it carried (or an empty one). */
export function unwrapValue(value: unknown): {
  value: unknown;
  transfer: readonly TransferListItem[];
} {
  return isMarker(value)
    ? { value: value.value, transfer: value.transfer as readonly TransferListItem[] }
    : { value, transfer: NONE };
}

/**
 * Unwraps every marked top-level argument. Returns `args` itself when nothing is marked, which
 * is the hot path of tiny calls.
 */
export function unwrapArgs(args: readonly unknown[]): {
  args: unknown[];
  transfer: readonly TransferListItem[];
} {
  let out: unknown[] | undefined;
  let transfer: TransferListItem[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!isMarker(a)) continue;
    out ??= args.slice();
    out[i] = a.value;
    (transfer ??= []).push(...(a.transfer as readonly TransferListItem[]));
  }
  return { args: out ?? (args as unknown[]), transfer: transfer ?? NONE };
}
