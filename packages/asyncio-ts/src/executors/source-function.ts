/**
 * Turns what the user passed to an executor (a self-contained function, a `moduleFunction`, or
 * a `{ module, export }` reference) into a {@link FunctionSpec}: plain data that crosses to a
 * worker. A function crosses as its source text, so it must be self-contained: a worker
 * compiles it in an empty scope, where the variables it captured do not exist. This module
 * checks that before anything is sent and explains the rule when it is broken.
 * @module
 */
import { findUndeclared } from "./free-identifiers.js";
import { tokenize } from "./js-tokens.js";
import { isModuleReference, moduleOf, resolveModule } from "./module-function.js";

/** A function that crosses as source text; `name` is for error messages. */
export interface SourceSpec {
  /** Unique per spec in this process: a worker that has seen the spec once is sent only this. */
  readonly id: number;
  readonly kind: "source";
  readonly source: string;
  readonly name: string;
}

/** A function that the worker imports: export `exportName` of module `href`. */
export interface ModuleSpec {
  readonly id: number;
  readonly kind: "module";
  readonly href: string;
  readonly exportName: string;
  readonly name: string;
}

/** What a worker needs to find the function to call. */
export type FunctionSpec = SourceSpec | ModuleSpec;

/** Specs already computed, so the hot path of repeated calls analyses each function once. */
const cache = new WeakMap<object, FunctionSpec>();

/**
 * Specs by what they send (name and source, or module and export), so that equal functions
 * share one id. An arrow written inside a loop or a request handler is a new function object
 * each time it is evaluated: with ids per object, every call sent and compiled the source again
 * and every worker kept each copy in its caches for good (a long-lived default executor grew
 * by one compiled function per call). Bounded by the distinct functions of the program.
 */
const byContent = new Map<string, FunctionSpec>();

/** The spec already made for the same content, or `spec` registered as the one for it. */
function shared(key: string, make: () => FunctionSpec): FunctionSpec {
  let spec = byContent.get(key);
  if (spec === undefined) {
    spec = make();
    byContent.set(key, spec);
  }
  return spec;
}

let nextSpecId = 1;

/** Names the worker provides besides its globals. */
const WORKER_NAMES = new Set(["undefined", "NaN", "Infinity", "globalThis"]);

/**
 * The spec of `fn`, computed once per function object.
 * @param caller names the API in error messages (`"ThreadPoolExecutor.submit"`).
 * @throws TypeError when `fn` is neither a function nor a module reference, has no source
 *   (native or bound), is a class, a getter or setter, or captures variables.
 * @example
 * ```ts
 * functionSpec((x: number) => x * 2, "toThread"); // { id: 1, kind: "source", source: "(x) => x * 2", name: "" }
 * ```
 */
export function functionSpec(fn: unknown, caller: string): FunctionSpec {
  if ((typeof fn !== "function" && typeof fn !== "object") || fn === null) {
    throw new TypeError(
      `${caller}: expected a function or a moduleFunction(...), got ${typeof fn}`,
    );
  }
  const cached = cache.get(fn);
  if (cached !== undefined) return cached;
  let spec: FunctionSpec;
  const mod = moduleOf(fn);
  if (mod !== undefined) {
    spec = moduleSpec(mod.href, mod.exportName);
  } else if (typeof fn === "function") {
    const f = fn as (...args: unknown[]) => unknown;
    const text = Function.prototype.toString.call(f);
    spec = shared(`source\0${f.name}\0${text}`, () => sourceSpec(f, text, caller));
  } else if (isModuleReference(fn)) {
    const r = resolveModule(fn);
    spec = moduleSpec(r.href, r.exportName);
  } else {
    throw new TypeError(
      `${caller}: expected a function, a moduleFunction(...) or { module, export }, got an object`,
    );
  }
  cache.set(fn, spec);
  return spec;
}

function moduleSpec(href: string, exportName: string): FunctionSpec {
  return shared(`module\0${href}\0${exportName}`, () => ({
    id: nextSpecId++,
    kind: "module",
    href,
    exportName,
    name: exportName,
  }));
}

function sourceSpec(fn: (...args: unknown[]) => unknown, text: string, caller: string): SourceSpec {
  const label = fn.name ? `function "${fn.name}"` : "the anonymous function";
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new TypeError(
      `${caller}: ${label} is native or bound, so it has no source to send to a worker; ` +
        `wrap the call in a self-contained arrow function or use moduleFunction(...)`,
    );
  }
  let source: string;
  let undeclared: string[];
  try {
    source = asExpression(text, label, caller);
    undeclared = findUndeclared(source).references;
  } catch (e) {
    if (e instanceof TypeError) throw e;
    throw new TypeError(`${caller}: cannot read the source of ${label}: ${(e as Error).message}`);
  }
  const captured = undeclared.filter((n) => !WORKER_NAMES.has(n) && !(n in globalThis));
  if (captured.length > 0) throw capturedError(caller, label, fn.name, captured);
  return { id: nextSpecId++, kind: "source", source, name: fn.name };
}

/**
 * The function's source as an expression that evaluates to the function. Method shorthand
 * (`name(a) {...}`, from `{ name(a) {...} }.name`) becomes a function expression.
 */
function asExpression(text: string, label: string, caller: string): string {
  const tokens = tokenize(text);
  const t = (k: number) => tokens[k]?.value;
  if (t(0) === "class") {
    throw new TypeError(
      `${caller}: ${label} is a class; classes cannot be called, pass a function`,
    );
  }
  if (t(0) === "function" || (t(0) === "async" && t(1) === "function")) return text;
  if (t(0) === "(" || t(1) === "=>") return text; // arrow function
  if (t(0) === "async" && (t(2) === "=>" || (t(1) === "(" && isArrowAfterParen(tokens, 1)))) {
    return text;
  }
  // Method shorthand: [async] [*] key (params) { body }
  let k = 0;
  const isAsync = t(0) === "async" && t(1) !== "(";
  if (isAsync) k++;
  if ((t(k) === "get" || t(k) === "set") && t(k + 1) !== "(") {
    throw new TypeError(`${caller}: ${label} is a getter or setter; pass a plain function`);
  }
  const star = t(k) === "*";
  if (star) k++;
  const key = tokens[k];
  let paren = k + 1;
  if (key?.value === "[") {
    let depth = 0;
    for (paren = k; paren < tokens.length; paren++) {
      if (t(paren) === "[") depth++;
      else if (t(paren) === "]" && --depth === 0) break;
    }
    paren++;
  }
  const open = tokens[paren];
  if (open?.value !== "(") {
    throw new TypeError(`${caller}: cannot tell what kind of function ${label} is from its source`);
  }
  const name = key?.type === "name" && /^[A-Za-z_$][\w$]*$/.test(key.value) ? ` ${key.value}` : "";
  const keyword = `${isAsync ? "async " : ""}function${star ? "*" : ""}${name}`;
  return keyword + text.slice(open.start);
}

function isArrowAfterParen(tokens: ReturnType<typeof tokenize>, open: number): boolean {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const v = tokens[i]!.value;
    if (v === "(") depth++;
    else if (v === ")" && --depth === 0) return tokens[i + 1]?.value === "=>";
  }
  return false;
}

function capturedError(caller: string, label: string, name: string, captured: string[]) {
  const shown = captured.slice(0, 5).map((n) => `"${n}"`);
  const more = captured.length > 5 ? ` and ${captured.length - 5} more` : "";
  const list =
    shown.length === 1
      ? `variable ${shown[0]}`
      : `variables ${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}${more}`;
  return new TypeError(
    `${caller}: ${label} captures ${list} from its surrounding scope, so it cannot be sent to a ` +
      `worker: workers run a function's source in an empty scope. Pass the values as arguments, ` +
      `load modules inside the function with \`await import(...)\`, or export the function from ` +
      `a module and pass moduleFunction(new URL("./module.js", import.meta.url), "${name || "name"}").`,
  );
}
