/** docs/http.md shows real code: every example block is a file of doc-examples/, compiled by the build. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../../../", import.meta.url);

test("every example in docs/http.md is exactly a compiled file of packages/http/doc-examples", () => {
  const doc = readFileSync(new URL("docs/http.md", root), "utf8");
  const blocks = [...doc.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)];
  const files = readdirSync(new URL("packages/http/doc-examples/", root)).filter((f) =>
    f.endsWith(".ts"),
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
