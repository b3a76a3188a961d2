/** The README's example is real code: it is examples/src/readme.ts, which the build compiles. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

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
