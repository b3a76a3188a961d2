// Installs bench/'s own devDependencies (the npm anchors and the node@24 binary) when they are
// missing, so `npm run bench` works on a fresh clone. bench/ is its own npm project, not a
// workspace: its lockfile pins the anchors without touching the runtime's dependency tree.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The devDependencies of bench/package.json that are not installed yet.
 * @param {string} benchDir
 * @returns {string[]}
 */
export function missingDependencies(benchDir) {
  const manifest = JSON.parse(readFileSync(join(benchDir, "package.json"), "utf8"));
  return Object.keys(manifest.devDependencies ?? {}).filter(
    (name) => !existsSync(join(benchDir, "node_modules", name, "package.json")),
  );
}

/**
 * Run `npm ci` (or `npm install` without a lockfile) in bench/ when a dependency is missing.
 * A failed install is reported, not fatal: the anchors that need the package show "n/a".
 * @param {string} benchDir
 * @param {(line: string) => void} log
 */
export function ensureDependencies(benchDir, log) {
  const missing = missingDependencies(benchDir);
  if (missing.length === 0) return;
  const verb = existsSync(join(benchDir, "package-lock.json")) ? "ci" : "install";
  log(`installing bench dependencies (npm ${verb} --prefix bench; missing: ${missing.join(", ")})`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, [verb, "--prefix", benchDir, "--no-audit", "--no-fund"], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) {
    log(
      `npm ${verb} failed (${result.error?.message ?? `exit ${result.status}`}); anchors that need it will show n/a`,
    );
  }
}

/**
 * Whether an npm package is installed in bench/node_modules.
 * @param {string} benchDir
 * @param {string} name
 */
export function hasPackage(benchDir, name) {
  return existsSync(join(benchDir, "node_modules", name, "package.json"));
}
