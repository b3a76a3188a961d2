// Runs every compiled test file of every workspace with node's test runner.
// Tests are TypeScript compiled by `npm run build` into <workspace>/dist/test.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const dirs = ["packages/asyncio-ts", "packages/http", "packages/crawler", "examples"]
  .map((ws) => `${ws}/dist/test/`)
  .filter((dir) => existsSync(dir));
const extra = process.argv.slice(2);
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...extra, ...dirs], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
