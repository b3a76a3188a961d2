/**
 * The examples in docs/guide.md and docs/differences.md are real programs: each is a file in
 * examples/src/guide/ (compiled by the build), the page shows it exactly, and running it prints
 * exactly the output the page shows below it. They are written for real time; the test runs
 * them with `run()` on a VirtualClock (lib/virtual-run) so the output cannot depend on load.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { promisify } from "node:util";

const root = new URL("../../../", import.meta.url);
const run = promisify(execFile);
const virtualRun = new URL("examples/dist/src/lib/virtual-run/register.js", root).href;

interface DocExample {
  path: string;
  code: string;
  output: string | undefined;
}

/** Every `<!-- example: path -->` of a page, with its ```ts block and its "Output:" block. */
function examplesOf(page: string): DocExample[] {
  const text = readFileSync(new URL(page, root), "utf8");
  const pattern =
    /<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n(?:\nOutput:\n\n```text\n([\s\S]*?)```\n)?/g;
  return [...text.matchAll(pattern)].map((m) => ({ path: m[1]!, code: m[2]!, output: m[3] }));
}

for (const page of ["docs/guide.md", "docs/differences.md"]) {
  describe(page, () => {
    const examples = examplesOf(page);

    test("has examples, each exactly the file it names", () => {
      assert.ok(examples.length > 0, `${page} should show compiled examples`);
      for (const { path, code } of examples) {
        assert.equal(code, readFileSync(new URL(path, root), "utf8"), `${page} shows ${path}`);
      }
    });

    test("each example prints exactly the output shown", async () => {
      await Promise.all(
        examples.map(async ({ path, output }) => {
          assert.ok(output !== undefined, `${page} should show the output of ${path}`);
          const compiled = path
            .replace(/^examples\/src\//, "examples/dist/src/")
            .replace(/\.ts$/, ".js");
          const { stdout } = await run(
            process.execPath,
            ["--import", virtualRun, new URL(compiled, root).pathname],
            {
              timeout: 30_000,
            },
          );
          assert.equal(stdout, output, `output of ${path}`);
        }),
      );
    });
  });
}
