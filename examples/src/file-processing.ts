/**
 * Seed 004, exercise 2, "동시 파일 처리" (concurrent file processing): "write a function that
 * reads and processes several files at the same time".
 *
 * Walks a directory tree, and for every file computes its SHA-256 and counts its lines (as
 * `wc -l` does: newline characters), with:
 * - a bounded number of files in flight: a walker task puts paths on a `Queue(maxsize)` and
 *   `concurrency` worker tasks take them, so memory stays flat for any tree size (the queue,
 *   not a task per file, bounds the work);
 * - the reading on the event loop (`fs/promises`, made cancellable) and the CPU-bound hashing
 *   and counting on the default thread pool (`toThread`), so big files never block the loop;
 * - a progress line on stderr while it runs (on a terminal), and at the end the five longest
 *   files with their hashes, and the totals.
 * All of it inside one `taskGroup`: if any file fails to read, the walk and the workers stop.
 *
 * Run: `node examples/dist/src/file-processing.js [dir] [--concurrency N]` (default: the
 * examples directory, 8 in flight).
 */
import { opendir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { cancellable, Queue, sleep, type Task, taskGroup, toThread } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Options of this example, besides the clock. */
export interface FileProcessingOptions extends ProgramOptions {
  /** Directory to walk (default: the examples directory). */
  dir?: string;
  /** Files in flight at once (default 8). */
  concurrency?: number;
  /** Receives a progress line every 0.2 s (default: stderr, when it is a terminal). */
  progress?: (line: string) => void;
}

/** What is computed for one file. */
export interface FileResult {
  path: string;
  sha256: string;
  lines: number;
  bytes: number;
}

/** Directories never worth hashing. */
const SKIP = new Set(["node_modules", ".git", "dist"]);

/** Every regular file under `dir`, depth first, in name order (so the report is stable). */
async function* walk(dir: string): AsyncGenerator<string> {
  const entries = [];
  for await (const entry of await cancellable(opendir(dir))) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIP.has(entry.name)) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Hashes and counts lines, on a worker thread. Self-contained (it runs in an empty scope), so
 * it imports what it needs itself.
 */
async function hashAndCount(bytes: Uint8Array): Promise<{ sha256: string; lines: number }> {
  const { createHash } = await import("node:crypto");
  let lines = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  return { sha256: createHash("sha256").update(bytes).digest("hex"), lines };
}

/** Processes every file under `dir` with `concurrency` in flight; returns results by path. */
export async function processFiles(
  dir: string,
  concurrency: number,
  onProgress?: (line: string) => void,
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  const paths = new Queue<string>(concurrency * 4);
  let found = 0;
  let walking = true;
  await taskGroup(async (tg) => {
    tg.createTask(
      async () => {
        try {
          for await (const path of walk(dir)) {
            found++;
            await paths.put(path); // waits while the workers are behind: bounded memory
          }
        } finally {
          walking = false;
          paths.shutdown(); // the workers' `for await` ends once the queue is drained
        }
      },
      { name: "walker" },
    );
    const workers: Task<void>[] = [];
    for (let i = 0; i < concurrency; i++) {
      workers.push(
        tg.createTask(
          async () => {
            for await (const path of paths) {
              const bytes = await cancellable(readFile(path));
              const { sha256, lines } = await toThread(hashAndCount, new Uint8Array(bytes));
              results.push({ path: relative(dir, path), sha256, lines, bytes: bytes.length });
            }
          },
          { name: `worker ${i + 1}` },
        ),
      );
    }
    if (onProgress !== undefined) {
      tg.createTask(
        async () => {
          while (walking || results.length < found) {
            const mib = results.reduce((sum, r) => sum + r.bytes, 0) / 2 ** 20;
            onProgress(
              `${results.length}/${found}${walking ? "+" : ""} files, ${mib.toFixed(1)} MiB`,
            );
            await sleep(0.2);
            if (workers.every((w) => w.done())) break;
          }
        },
        { name: "progress" },
      );
    }
  });
  return results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Processes the tree; prints the five longest files (hash, lines, path) and the totals. */
export async function main(
  out: Out = console.log,
  options: FileProcessingOptions = {},
): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== "--virtual");
  const flag = args.indexOf("--concurrency");
  const dir =
    options.dir ??
    args.find((a, i) => !a.startsWith("--") && i !== flag + 1) ??
    fileURLToPath(new URL("../..", import.meta.url));
  const concurrency = options.concurrency ?? (flag >= 0 ? Number(args[flag + 1]) : 8);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`--concurrency expects an integer >= 1, got ${args[flag + 1]}`);
  }
  const tty = process.stderr.isTTY === true;
  const progress =
    options.progress ??
    (tty ? (line: string) => process.stderr.write(`\r\x1b[K${line}`) : undefined);
  await runProgram(async () => {
    const started = performance.now();
    const results = await processFiles(dir, concurrency, progress);
    if (options.progress === undefined && tty) process.stderr.write("\r\x1b[K");
    // The five files with the most lines (ties by path), then the totals.
    const top = [...results]
      .sort((a, b) => b.lines - a.lines || (a.path < b.path ? -1 : 1))
      .slice(0, 5);
    for (const r of top) out(`${r.sha256.slice(0, 16)} ${String(r.lines).padStart(6)} ${r.path}`);
    const lines = results.reduce((sum, r) => sum + r.lines, 0);
    const bytes = results.reduce((sum, r) => sum + r.bytes, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    out(
      `${results.length} files, ${lines} lines, ${bytes} bytes in ${seconds} s (${concurrency} in flight)`,
    );
  }, options);
}

await runIfScript(import.meta.url, main);
