/** docs/http.md shows real code: every example block is a file of doc-examples/, compiled by the build. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../../../", import.meta.url);

test("every example in docs/http.md is exactly a compiled file of packages/http/doc-examples", () => {
  const doc = readFileSync(new URL("docs/http.md", root), "utf8");
  const blocks = [...doc.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)];
  const files = readdirSync(new URL("packages/http/doc-examples/", root)).filter(
    (f) => f.endsWith(".ts") && f !== "readme.ts",
  );
  assert.deepEqual(
    blocks.map((b) => b[1]).sort(),
    files.map((f) => `packages/http/doc-examples/${f}`).sort(),
    "each doc example appears once in docs/http.md",
  );
  for (const [, path, code] of blocks) {
    assert.equal(code, readFileSync(new URL(path!, root), "utf8"), `${path} differs from the page`);
  }
});

test("the HTTP example of the root README is exactly packages/http/doc-examples/readme.ts", () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const section = readme.indexOf("### `@asyncio-ts/http`");
  assert.ok(section >= 0, "README.md has an @asyncio-ts/http section");
  const block = /```ts\n([\s\S]*?)```\n/.exec(readme.slice(section));
  const code = readFileSync(new URL("packages/http/doc-examples/readme.ts", root), "utf8");
  assert.equal(block?.[1], code);
});
