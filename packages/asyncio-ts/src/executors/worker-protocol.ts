/**
 * The messages between an executor and its workers, the same for threads (`postMessage`) and
 * processes (`process.send` with advanced serialization), and the error (de)serialization that
 * brings a worker's error back with its name, message, stack, extra fields and cause.
 *
 * One call at a time per worker: the pool sends a {@link CallMessage} only to an idle worker,
 * and the worker answers each with exactly one {@link ReplyMessage} carrying the same `id`.
 * @module
 */
import type { FunctionSpec } from "./source-function.js";

/**
 * Run function `spec` on `args` (or, for a `batch`, on each argument list of `args` in order).
 * `fn` carries the spec itself the first time a worker is sent it; later calls name it by id,
 * which keeps the hot path's messages small.
 */
export interface CallMessage {
  readonly id: number;
  readonly spec: number;
  readonly fn: FunctionSpec | undefined;
  readonly args: readonly unknown[];
  /** When true, `args` is a list of argument lists and the reply value is the list of results. */
  readonly batch: boolean;
}

/** The outcome of one call. */
export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** Sent by a process worker just before it dies of an uncaught error. */
export interface CrashMessage {
  readonly crash: SerializedError;
}

/** An error as plain data. `thrown` holds a non-Error thrown value that could be cloned. */
export interface SerializedError {
  readonly isError: boolean;
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly props?: Record<string, unknown> | undefined;
  readonly cause?: SerializedError | undefined;
  readonly thrown?: unknown;
}

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Turns anything thrown into plain data that structured clone accepts. */
export function serializeError(e: unknown, depth = 0): SerializedError {
  if (!(e instanceof Error)) {
    return {
      isError: false,
      name: "Error",
      message: safeString(e),
      thrown: cloneable(e) ? e : undefined,
    };
  }
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(e)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    const v = (e as unknown as Record<string, unknown>)[key];
    if (cloneable(v)) (props ??= {})[key] = v;
  }
  const cause = "cause" in e && depth < 8 ? serializeError(e.cause, depth + 1) : undefined;
  return { isError: true, name: e.name, message: e.message, stack: e.stack, props, cause };
}

/** Rebuilds an error from {@link serializeError}'s data: same class when built in, same name. */
export function deserializeError(s: SerializedError): unknown {
  if (!s.isError) return s.thrown !== undefined ? s.thrown : new Error(s.message);
  const Ctor = BUILTIN_ERRORS[s.name] ?? Error;
  const e = new Ctor(s.message);
  if (e.name !== s.name) {
    Object.defineProperty(e, "name", { value: s.name, writable: true, configurable: true });
  }
  if (s.stack !== undefined) {
    Object.defineProperty(e, "stack", { value: s.stack, writable: true, configurable: true });
  }
  if (s.props) Object.assign(e, s.props);
  if (s.cause !== undefined) {
    const cause = deserializeError(s.cause);
    Object.defineProperty(e, "cause", { value: cause, writable: true, configurable: true });
  }
  return e;
}

/**
 * The error sent back when a result cannot cross back to the caller; `where` names the value
 * that could not be cloned, when it was found (see lostClass).
 */
export function resultCloneError(fnName: string, error: unknown, where?: string): TypeError {
  const what = fnName ? `function "${fnName}"` : "the function";
  const culprit = where === undefined ? "" : `: ${where} cannot be cloned`;
  return new TypeError(
    `the result of ${what} cannot be sent back from the worker${culprit} (${safeString(error)}); ` +
      `return plain data: primitives, plain objects, arrays, typed arrays, Map, Set, Date, Error`,
    { cause: error },
  );
}

/**
 * The error for arguments that cannot cross to the worker; `where` names the value that could
 * not be cloned, when it was found (see lostClass).
 */
export function argumentsCloneError(fnName: string, error: unknown, where?: string): TypeError {
  const what = fnName ? `function "${fnName}"` : "the function";
  const culprit = where === undefined ? "" : `: ${where} cannot be cloned`;
  return new TypeError(
    `the arguments of ${what} cannot be sent to the worker${culprit} (${safeString(error)}); ` +
      `pass plain data: primitives, plain objects, arrays, typed arrays, Map, Set, Date, Error`,
    { cause: error },
  );
}

function cloneable(v: unknown): boolean {
  if (v === null || (typeof v !== "object" && typeof v !== "function"))
    return typeof v !== "symbol";
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
}

function safeString(v: unknown): string {
  try {
    return v instanceof Error ? `${v.name}: ${v.message}` : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
