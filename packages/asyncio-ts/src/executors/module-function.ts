/**
 * The module form of an executor call: "run export `name` of module `url`". It is how code with
 * imports (which cannot cross to a worker as source) runs in a thread or process pool.
 * @module
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";

/** Brand of the functions made by {@link moduleFunction}, shared by every copy of the library. */
const MODULE_REF = Symbol.for("asyncio-ts.moduleFunction");

/**
 * A plain description of an exported function, accepted by `submit`, `map` and `toThread`
 * wherever a function is. `export` defaults to `"default"`.
 * @example
 * ```ts
 * import { ThreadPoolExecutor } from "asyncio-ts";
 * const pool = new ThreadPoolExecutor();
 * const digest = await pool.submit({ module: new URL("./hash.js", import.meta.url), export: "sha256" }, "abc");
 * ```
 */
export interface ModuleReference {
  /** A `URL`, an absolute file path, an absolute URL string, or a bare package name. */
  readonly module: URL | string;
  /** The export to call; `"default"` when omitted. */
  readonly export?: string;
}

/** A module reference after validation: `href` is what the worker imports. */
export interface ResolvedModule {
  readonly href: string;
  readonly exportName: string;
}

/**
 * A function that stands for export `exportName` of `module`: executors send the module URL
 * and export name to the worker, which imports the module and calls the export there. Called
 * directly, it imports the module in the current thread and calls it, so it also works
 * without an executor. Type it with the export's own type for exact argument and result types.
 *
 * Use it for any code that imports other modules or shares helpers: a self-contained function
 * sent as source cannot see its module's imports.
 * @param module `new URL("./file.js", import.meta.url)`, an absolute path or URL, or a package name.
 * @param exportName the exported function (default `"default"`).
 * @throws TypeError for a relative path (relative to what?) or an empty export name.
 * @example
 * ```ts
 * import { moduleFunction, toThread } from "asyncio-ts";
 * // Your own module: moduleFunction<typeof sha256>(new URL("./hash.js", import.meta.url), "sha256")
 * const basename = moduleFunction<typeof import("node:path").basename>("node:path", "basename");
 * console.log(await toThread(basename, "/data/report.csv")); // "report.csv"
 * ```
 */
export function moduleFunction<F extends (...args: any[]) => unknown>(
  module: URL | string,
  exportName = "default",
): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
  const resolved = resolveModule({ module, export: exportName });
  const local = async (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> => {
    const fn = exportedFunction(await import(resolved.href), resolved);
    return (await fn(...args)) as Awaited<ReturnType<F>>;
  };
  Object.defineProperty(local, MODULE_REF, { value: resolved });
  Object.defineProperty(local, "name", { value: exportName });
  return local;
}

/** The module behind `fn` when it was made by {@link moduleFunction}, else `undefined`. */
export function moduleOf(fn: unknown): ResolvedModule | undefined {
  return typeof fn === "function" ? (fn as any)[MODULE_REF] : undefined;
}

/** Whether `value` is a plain `{ module, export? }` reference. */
export function isModuleReference(value: unknown): value is ModuleReference {
  if (typeof value !== "object" || value === null || !("module" in value)) return false;
  const m = (value as ModuleReference).module;
  return typeof m === "string" || m instanceof URL;
}

/**
 * Validates a module reference and turns it into the URL string a worker can import.
 * @throws TypeError naming what was expected and what arrived.
 */
export function resolveModule(ref: ModuleReference): ResolvedModule {
  const exportName = ref.export ?? "default";
  if (typeof exportName !== "string" || exportName === "") {
    throw new TypeError(
      `module function: expected a non-empty export name, got ${String(exportName)}`,
    );
  }
  const m = ref.module;
  if (m instanceof URL) return { href: m.href, exportName };
  if (typeof m !== "string" || m === "") {
    throw new TypeError(`module function: expected a URL or a module path, got ${String(m)}`);
  }
  if (isAbsolute(m)) return { href: pathToFileURL(m).href, exportName };
  if (/^[a-zA-Z][a-zA-Z\d+.-]+:/.test(m)) return { href: m, exportName };
  if (m.startsWith("./") || m.startsWith("../") || m === "." || m === "..") {
    throw new TypeError(
      `module function: the relative path "${m}" has no meaning inside a worker; ` +
        `pass new URL("${m}", import.meta.url) or an absolute path`,
    );
  }
  return { href: m, exportName }; // a bare package name, resolved by the worker's import()
}

/**
 * The function exported by `namespace` under `ref.exportName`.
 * @throws TypeError when the export is missing or not a function.
 */
export function exportedFunction(
  namespace: Record<string, unknown>,
  ref: ResolvedModule,
): (...args: unknown[]) => unknown {
  const fn = namespace[ref.exportName];
  if (typeof fn !== "function") {
    const found = fn === undefined ? "no such export" : `a ${typeof fn}`;
    throw new TypeError(
      `module function: export "${ref.exportName}" of ${ref.href} is not a function (found ${found})`,
    );
  }
  return fn as (...args: unknown[]) => unknown;
}
