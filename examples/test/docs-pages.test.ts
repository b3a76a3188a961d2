/**
 * The ```ts blocks of the pages whose examples are not files of the project (queues, rate
 * limiting, synchronization, server, crawler, debugging, the READMEs): every block compiles
 * against the built packages as a reader would compile it (ES module, strict), and the
 * self-contained programs of the runtime's pages run to completion on the virtual clock with
 * nothing on stderr. (The guide, differences, executors and http pages have their own tests.)
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const virtualRun = new URL("examples/dist/src/lib/virtual-run/register.js", `file://${root}`).href;

/** Pages checked here; `run` lists those whose blocks are whole programs that end by themselves. */
const PAGES = [
  { page: "docs/queues.md", run: true },
  { page: "docs/rate-limiting.md", run: true },
  { page: "docs/synchronization.md", run: true },
  { page: "docs/errors.md", run: true },
  { page: "docs/server.md", run: false }, // the servers listen until Ctrl-C
  { page: "docs/crawler.md", run: false }, // crawls example.com
  { page: "docs/debugging.md", run: false }, // prints timings to stderr on purpose
  { page: "README.md", run: false }, // fetches example.com, imports ./parse.js
  { page: "packages/asyncio-ts/README.md", run: true },
  { page: "packages/http/README.md", run: false }, // fetches example.org
];

// Under the repository's node_modules, so that the packages resolve as they do for a user.
mkdirSync(join(root, "node_modules/.cache"), { recursive: true });
const dir = mkdtempSync(join(root, "node_modules/.cache/asyncio-ts-doc-pages-"));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');

const blocks = PAGES.flatMap(({ page, run }) => {
  const text = readFileSync(join(root, page), "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => {
    const file = join(dir, `${page.replace(/\.md$/, "").replace(/\//g, "_")}-${i + 1}.ts`);
    writeFileSync(file, m[1]!);
    return { page, file, run };
  });
});

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
  strict: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [join(root, "node_modules/@types")],
};

test("every code block of the pages compiles", () => {
  for (const { page } of PAGES) {
    assert.ok(
      blocks.some((b) => b.page === page),
      `${page} should have ts blocks`,
    );
  }
  const program = ts.createProgram(
    blocks.map((b) => b.file),
    { ...options, noEmit: true },
  );
  // "docs_queues-2.ts(3,11): error TS2304: Cannot find name 'main'." per problem.
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => "\n",
  };
  assert.equal(ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host), "");
});

test("the programs of the runtime's pages run to completion, nothing on stderr", async () => {
  for (const { file } of blocks.filter((b) => b.run)) {
    const js = file.replace(/\.ts$/, ".js");
    const source = readFileSync(file, "utf8");
    const compilerOptions = { ...options, module: ts.ModuleKind.ES2022 };
    writeFileSync(js, ts.transpileModule(source, { compilerOptions }).outputText);
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", virtualRun, js],
      { timeout: 30_000 },
    );
    assert.equal(stderr, "", `${file.slice(dir.length + 1)} wrote to stderr`);
    assert.notEqual(stdout, "", `${file.slice(dir.length + 1)} printed nothing`);
  }
});
