// Runs every compiled test file (*.test.js under <workspace>/dist/test) of every workspace with
// node's test runner. Tests are TypeScript compiled by `npm run build`. Only *.test.js files are
// passed: given a directory, node --test would also run helper modules and fixtures as tests.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const workspaces = ["packages/asyncio-ts", "packages/http", "packages/crawler", "examples"];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : testFiles(path);
    return entry.name.endsWith(".test.js") ? [path] : [];
  });
}

const files = workspaces.flatMap((ws) => testFiles(`${ws}/dist/test`));
if (files.length === 0) {
  console.error("no compiled test files found: run `npm run build` first");
  process.exit(1);
}
const extra = process.argv.slice(2);
// A test that hangs fails after 3 minutes with its name, instead of stalling the whole run.
const result = spawnSync(
  process.execPath,
  ["--test", "--test-reporter=spec", "--test-timeout=180000", ...extra, ...files],
  {
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
