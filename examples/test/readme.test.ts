/** The README's example is real code: it is examples/src/readme.ts, which the build compiles. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { promisify } from "node:util";

const root = new URL("../../../", import.meta.url);

test("the README's example is exactly examples/src/readme.ts (without its header comment)", () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const block = /<!-- readme-example:[^\n]*-->\n```ts\n([\s\S]*?)```\n/.exec(readme);
  assert.ok(block, "README.md should have a ```ts block after the readme-example marker");
  const source = readFileSync(new URL("examples/src/readme.ts", root), "utf8");
  const code = source.replace(/^(\/\/[^\n]*\n)+/, "");
  assert.equal(block[1], code);
});

test("the README's quick start is the two commands", () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const quickStart = /## Quick start\n([\s\S]*?)\n## /.exec(readme);
  assert.ok(quickStart, "README.md should have a Quick start section");
  const commands = /```sh\n([\s\S]*?)```/.exec(quickStart[1]);
  assert.deepEqual(commands?.[1].trim().split("\n"), ["npm install && npm start", "npm test"]);
});

test("the README's example runs: three deliveries in the order of their meal times", async () => {
  // Under a virtual-time run() (see lib/virtual-run), so the 3 s of sleeps take no real time.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--import",
      new URL("examples/dist/src/lib/virtual-run/register.js", root).href,
      new URL("examples/dist/src/readme.js", root).pathname,
    ],
    { timeout: 30_000 },
  );
  assert.equal(
    stdout,
    "A finished eating after 1 h\nB finished eating after 2 h\nC finished eating after 3 h\n",
  );
});
