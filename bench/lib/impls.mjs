// Builders for the implementation entries of a workload manifest. An implementation is one
// script plus how to run it; `role` says how it counts in the report: "subject" (asyncio-ts),
// "floor" (bare JavaScript, no library) or "anchor" (another library or Python).

/** Where the built runtime lives, relative to bench/ (the asyncio-ts scripts import it). */
export const RUNTIME_ENTRY = "../packages/asyncio-ts/dist/src/index.js";

/**
 * asyncio-ts itself, run on every node runtime once the named exports exist in the build.
 * @param {string} file script in the workload's folder
 * @param {string[]} exportsNeeded public names the script imports
 * @param {{ id?: string, label?: string, args?: string[] }} [options]
 */
export function subject(file, exportsNeeded, options = {}) {
  return {
    id: options.id ?? "asyncio-ts",
    label: options.label ?? "asyncio-ts",
    role: "subject",
    lang: "js",
    file,
    args: options.args ?? [],
    exportsNeeded,
    packages: [],
  };
}

/**
 * The bare-JavaScript floor, run on every node runtime.
 * @param {string} label what the floor is, e.g. "Promise.all"
 * @param {string} file
 * @param {string[]} [args]
 */
export function floor(label, file, args = []) {
  return {
    id: "floor",
    label: `floor: ${label}`,
    role: "floor",
    lang: "js",
    file,
    args,
    packages: [],
  };
}

/**
 * An npm library anchor, run on every node runtime.
 * @param {string} id
 * @param {string} file
 * @param {{ label?: string, args?: string[], packages?: string[], maxN?: number }} [options]
 *   `packages` must be installed in bench/node_modules; above `maxN` the anchor is skipped
 *   (for anchors that would need minutes or tens of GiB there).
 */
export function npmAnchor(id, file, options = {}) {
  return {
    id,
    label: options.label ?? id,
    role: "anchor",
    lang: "js",
    file,
    args: options.args ?? [],
    packages: options.packages ?? [id],
    maxN: options.maxN,
  };
}

/**
 * A Python anchor on one interpreter: "python313" (CPython 3.13 through pyenv) or
 * "pythonSystem" (Debian's python3, which has uvloop).
 * @param {string} id
 * @param {string} file
 * @param {{ label: string, runtime: "python313" | "pythonSystem", loop?: "asyncio" | "uvloop",
 *   args?: string[], extra?: boolean }} options `extra` rows run only with --all
 */
export function pythonAnchor(id, file, options) {
  return {
    id,
    label: options.label,
    role: "anchor",
    lang: "python",
    file,
    args: options.args ?? [],
    runtime: options.runtime,
    loop: options.loop ?? "asyncio",
    extra: options.extra ?? false,
  };
}

/**
 * The usual Python anchors of a workload: asyncio on CPython 3.13, uvloop on Debian's python3,
 * and (with --all) plain asyncio on Debian's python3, the like-for-like baseline of uvloop.
 * @param {string} file
 * @param {{ args?: string[], what?: string }} [options] `what` names the API, e.g. "asyncio.timeout"
 */
export function pythonAnchors(file, options = {}) {
  const what = options.what ?? "asyncio";
  const args = options.args ?? [];
  return [
    pythonAnchor("asyncio", file, { label: what, runtime: "python313", args }),
    pythonAnchor("uvloop", file, {
      label: `${what} + uvloop`,
      runtime: "pythonSystem",
      loop: "uvloop",
      args,
    }),
    pythonAnchor("asyncio-system", file, {
      label: what,
      runtime: "pythonSystem",
      args,
      extra: true,
    }),
  ];
}
