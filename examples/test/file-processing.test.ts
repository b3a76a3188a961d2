/** Seed 004 exercise 2: concurrent file processing, checked on a temporary tree. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ExceptionGroup, run } from "asyncio-ts";
import { main, processFiles } from "../src/file-processing.js";

const root = mkdtempSync(join(tmpdir(), "file-processing-"));
after(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string | Buffer> = {
  "a.txt": "one\ntwo\n",
  "sub/b.txt": "no newline",
  "sub/deeper/c.bin": Buffer.alloc(300_000, 10), // 300,000 newline bytes
  "z.md": "# title\n\ntext\n",
  "node_modules/skipped.js": "skipped\n",
  "dist/skipped.js": "skipped\n",
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), content);
}
const sha = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");

describe("file processing (seed 004, exercise 2)", () => {
  test("hashes and counts the lines of every file, skipping node_modules and dist, sorted by path", async () => {
    const progress: string[] = [];
    const results = await run(() => processFiles(root, 2, (line) => progress.push(line)));
    assert.deepEqual(results, [
      { path: "a.txt", sha256: sha(files["a.txt"]!), lines: 2, bytes: 8 },
      { path: "sub/b.txt", sha256: sha(files["sub/b.txt"]!), lines: 0, bytes: 10 },
      {
        path: "sub/deeper/c.bin",
        sha256: sha(files["sub/deeper/c.bin"]!),
        lines: 300_000,
        bytes: 300_000,
      },
      { path: "z.md", sha256: sha(files["z.md"]!), lines: 3, bytes: 14 },
    ]);
    assert.ok(progress.length >= 1, "at least one progress line");
    assert.match(progress[0]!, /^\d+\/\d+\+? files, \d+\.\d MiB$/);
  });

  test("prints the five longest files and the totals", async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line), { dir: root, concurrency: 3, progress: () => {} });
    assert.deepEqual(lines.slice(0, 4), [
      `${sha(files["sub/deeper/c.bin"]!).slice(0, 16)} 300000 sub/deeper/c.bin`,
      `${sha(files["z.md"]!).slice(0, 16)}      3 z.md`,
      `${sha(files["a.txt"]!).slice(0, 16)}      2 a.txt`,
      `${sha(files["sub/b.txt"]!).slice(0, 16)}      0 sub/b.txt`,
    ]);
    assert.match(lines[4]!, /^4 files, 300005 lines, 300032 bytes in \d+\.\d\d s \(3 in flight\)$/);
    assert.equal(lines.length, 5);
  });

  test("a missing directory fails the whole group with the file system's error", async () => {
    await assert.rejects(
      run(() => processFiles(join(root, "absent"), 2)),
      (e: unknown) => e instanceof ExceptionGroup && /ENOENT/.test(String(e.exceptions[0])),
    );
  });
});
