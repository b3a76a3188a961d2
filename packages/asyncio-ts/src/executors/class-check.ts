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
 * The walk is cheap on plain data (objects, arrays, Map, Set; typed arrays are not entered). An
 * object of any other class is cloned alone once: if its clone keeps its prototype (Date, Blob,
 * KeyObject, an Error...) it crosses faithfully and is accepted.
 * @module
 */
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
 * @param label names the root (`"argument 2"`, `"the result"`).
 * @example
 * ```ts
 * lostClass(new URL("https://a.example/"), "argument 1"); // "argument 1 (an instance of URL)"
 * ```
 */
export function lostClass(root: unknown, label: string): string | undefined {
  if (root === null || typeof root !== "object") return undefined; // the hot path: no allocation
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[root, label]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [value, path] = entry;
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === Object.prototype || proto === null) {
      for (const key of Object.keys(value)) {
        stack.push([(value as Record<string, unknown>)[key], `${path}.${key}`]);
      }
    } else if (proto === Array.prototype) {
      const array = value as unknown[];
      for (let i = array.length - 1; i >= 0; i--) stack.push([array[i], `${path}[${i}]`]);
    } else if (proto === Map.prototype) {
      for (const [k, v] of value as Map<unknown, unknown>) {
        stack.push([k, `${path} (a Map key)`], [v, `${path}.get(...)`]);
      }
    } else if (proto === Set.prototype) {
      for (const v of value as Set<unknown>) stack.push([v, `${path} (a Set element)`]);
    } else if (!(FAITHFUL.has(proto) || ArrayBuffer.isView(value) || value instanceof Error)) {
      let clone: unknown;
      try {
        clone = structuredClone(value);
      } catch {
        continue; // not cloneable at all (a MessagePort to transfer...): postMessage decides
      }
      if (Object.getPrototypeOf(clone) !== proto) return `${path} (${describe(value)})`;
    }
  }
  return undefined;
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
export function lostClassInArgs(args: readonly unknown[], batch: boolean): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (!batch) {
      const found = lostClass(args[i], `argument ${i + 1}`);
      if (found !== undefined) return found;
      continue;
    }
    const itemArgs = args[i] as unknown[];
    for (const arg of itemArgs) {
      const found = lostClass(arg, `item ${i + 1}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
