/**
 * Every TypeScript block of docs/executors.md type-checks against the built package, as a user
 * would compile it (ES module, strict). A block whose first line is `// file: name.ts` is saved
 * under that name, so other blocks can import it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const page = readFileSync(join(root, "docs/executors.md"), "utf8");

// Under the repository's node_modules, so that `import "asyncio-ts"` resolves to the package.
mkdirSync(join(root, "node_modules/.cache"), { recursive: true });
const dir = mkdtempSync(join(root, "node_modules/.cache/asyncio-ts-docs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("every code block of docs/executors.md compiles", () => {
  const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 8, `expected the page's examples, found ${blocks.length} blocks`);
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const files = blocks.map((code, i) => {
    const name = /^\/\/ file: (\S+\.ts)\n/.exec(code)?.[1] ?? `block-${i + 1}.ts`;
    const file = join(dir, name);
    writeFileSync(file, code);
    return file;
  });
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [join(root, "node_modules/@types")],
  });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  assert.deepEqual(problems, []);
});
