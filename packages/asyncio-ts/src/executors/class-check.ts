/**
 * Finds a class instance that structured clone would silently turn into a plain object.
 *
 * Structured clone (what `postMessage` and advanced IPC serialization use) copies an object of
 * a user class, and many host objects, as a plain object of its own data fields: methods,
 * accessors and the prototype are dropped without an error. Passing the task's `AbortSignal`
 * gave the worker `{}` (`signal.aborted` read undefined forever), a `URL` arrived as `{}`
 * (`String(url)` was "[object Object]"), a `Point` lost `norm()`. Python pickles such objects
 * with their class, so a port from concurrent.futures expects them to work; refusing them with
 * a message that names the value and where it sits is the honest alternative.
 *
 * The walk is cheap on plain data (objects, arrays, Map, Set; typed arrays are not entered) and
 * stops after {@link MAX_OBJECTS} objects. An object of any other class is cloned alone once: if
 * its clone keeps its prototype (Date, Blob, KeyObject, an Error...) it crosses faithfully and
 * is accepted.
 * @module
 */
import { deserialize, serialize } from "node:v8";
import { describe } from "../errors.js";

/** Prototypes whose instances structured clone copies as themselves, without a trial clone. */
const FAITHFUL: ReadonlySet<object> = new Set<object>([
  Date.prototype,
  RegExp.prototype,
  ArrayBuffer.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  BigInt.prototype,
  ...(typeof SharedArrayBuffer === "function" ? [SharedArrayBuffer.prototype] : []),
]);

/**
 * The first value under `root` that structured clone would strip of its class, described with
 * its path (`"argument 2"`, `"argument 1.options.signal"`), or undefined when there is none.
 * A value that cannot be cloned at all is left to `postMessage` (it may be in the transfer
 * list, as a MessagePort must be), unless `failedTransfer` is given: after a send failed with a
 * DataCloneError, the first such value not in that transfer list is the one to name (Node 24
 * refuses a URL this way, where Node 20 copied it as `{}`).
 * @param label names the root (`"argument 2"`, `"the result"`).
 * @example
 * ```ts
 * lostClass(new URL("https://a.example/"), "argument 1"); // "argument 1 (an instance of URL)"
 * ```
 */
export function lostClass(
  root: unknown,
  label: string,
  failedTransfer: readonly unknown[] | null = null,
): string | undefined {
  if (root === null || typeof root !== "object") return undefined; // the hot path: no allocation
  const seen = new Set<object>();
  // Only objects are pushed, each with a link to its parent: no string is built unless a value
  // is found, so a large array of numbers costs one typeof per element (cheaper than the clone).
  const stack: Where[] = [{ value: root, up: null, key: label }];
  const push = (value: unknown, up: Where, key: string | number) => {
    if (value === null || typeof value !== "object") return;
    if (stack.length + seen.size < MAX_OBJECTS) stack.push({ value, up, key });
  };
  for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
    const value = at.value;
    if (seen.has(value)) continue;
    seen.add(value);
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === Object.prototype || proto === null) {
      for (const key in value) {
        if (Object.hasOwn(value, key)) push((value as Record<string, unknown>)[key], at, key);
      }
    } else if (proto === Array.prototype) {
      const array = value as unknown[];
      // Past the budget nothing more is pushed: the walk must stay cheap next to the clone.
      // Pushed last to first so that they are examined first to last, the first ones in budget.
      const room = Math.max(0, MAX_OBJECTS - stack.length - seen.size);
      for (let i = Math.min(array.length, room) - 1; i >= 0; i--) {
        const item = array[i];
        if (item !== null && typeof item === "object") push(item, at, i);
      }
    } else if (proto === Map.prototype) {
      for (const [k, v] of value as Map<unknown, unknown>) {
        push(k, at, MAP_KEY);
        push(v, at, MAP_VALUE);
      }
    } else if (proto === Set.prototype) {
      for (const v of value as Set<unknown>) push(v, at, SET_ELEMENT);
    } else if (!(FAITHFUL.has(proto) || ArrayBuffer.isView(value) || value instanceof Error)) {
      const clone = trialClone(value);
      if (clone === UNCLONEABLE) {
        // Not cloneable at all (a MessagePort to transfer...): postMessage decides, unless it
        // already has and this is what it refused.
        if (failedTransfer !== null && !failedTransfer.includes(value)) {
          return `${pathOf(at)} (${describe(value)})`;
        }
        continue;
      }
      if (Object.getPrototypeOf(clone) !== proto) return `${pathOf(at)} (${describe(value)})`;
    }
  }
  return undefined;
}

const UNCLONEABLE: unique symbol = Symbol("uncloneable");

/**
 * `value` as a worker would receive it, or UNCLONEABLE. Threads receive a structured clone;
 * processes, what `v8.serialize` makes of it (advanced IPC serialization). The two disagree on
 * some host objects: Node 24's structuredClone refuses a URL, which v8.serialize still copies as
 * a plain object, so a value refused by the first is tried with the second.
 */
function trialClone(value: object): unknown {
  try {
    return structuredClone(value);
  } catch {
    try {
      return deserialize(serialize(value));
    } catch {
      return UNCLONEABLE;
    }
  }
}

/**
 * The most objects examined per argument or result (about 1 ms of walking). Class instances
 * sit near the top of real arguments (`options.signal`, a `Point`); a payload of a million
 * records is plain data, and walking all of it cost about half as much as cloning it.
 */
const MAX_OBJECTS = 10_000;

/** A value found during the walk, and how it was reached from the root. */
interface Where {
  readonly value: object;
  readonly up: Where | null;
  /** The root's label, or the step from `up`: a property name, an index, or a Map/Set step. */
  readonly key: string | number;
}

// Steps into a Map or Set, told apart from property names by identity (kept as is in paths).
const MAP_KEY = " (a Map key)";
const MAP_VALUE = ".get(...)";
const SET_ELEMENT = " (a Set element)";

/** `argument 1.options[2].get(...)`: built only when something was found. */
function pathOf(at: Where): string {
  let path = "";
  for (let w: Where | null = at; w !== null; w = w.up) {
    const k = w.key;
    if (w.up === null || k === MAP_KEY || k === MAP_VALUE || k === SET_ELEMENT) path = k + path;
    else path = (typeof k === "number" ? `[${k}]` : `.${k}`) + path;
  }
  return path;
}

/**
 * The TypeError for a value that would lose its class on the way: `which` is "arguments" (sent
 * to the worker) or "result" (sent back), `where` what {@link lostClass} found.
 */
export function lostClassError(fnName: string, which: "arguments" | "result", where: string) {
  const what = fnName ? `function "${fnName}"` : "the function";
  const how = which === "arguments" ? "sent to the worker" : "sent back from the worker";
  return new TypeError(
    `the ${which} of ${what} cannot be ${how}: ${where} is an object of a class, which ` +
      "structured clone would copy as a plain object without its methods, accessors and " +
      "prototype; pass plain data instead (url.href, { ...point }, the fields it needs)" +
      // The likeliest case: hoping the worker can watch the task's cancellation.
      (where.endsWith("(an instance of AbortSignal)")
        ? ". A worker cannot watch an AbortSignal: cancelling the call stops the worker"
        : ""),
  );
}

/** {@link lostClass} over a call's arguments (or, for a batch, over each item's arguments). */
export function lostClassInArgs(
  args: readonly unknown[],
  batch: boolean,
  failedTransfer: readonly unknown[] | null = null,
): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (!batch) {
      const found = lostClass(args[i], `argument ${i + 1}`, failedTransfer);
      if (found !== undefined) return found;
      continue;
    }
    const itemArgs = args[i] as unknown[];
    for (const arg of itemArgs) {
      const found = lostClass(arg, `item ${i + 1}`, failedTransfer);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
