/**
 * Idle workers never keep a program alive: a program that uses the pools and never shuts them
 * down exits by itself, promptly, with code 0.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const INDEX = new URL("../src/index.js", import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-exit-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `source` as an ES module in a fresh node; resolves with its exit code and output. */
function runScript(
  name: string,
  source: string,
): Promise<{ code: number | null; out: string; err: string }> {
  const file = join(dir, name);
  writeFileSync(file, source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not exit within 10 s; output so far: ${out}`));
    }, 10_000);
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, out, err });
    });
  });
}

test("a program inside run() that leaves its pools running exits by itself", async () => {
  const { code, out, err } = await runScript(
    "inside-run.mjs",
    `import { run, toThread, ThreadPoolExecutor, ProcessPoolExecutor } from ${JSON.stringify(INDEX)};
await run(async () => {
  const threads = new ThreadPoolExecutor({ maxWorkers: 2 });
  const processes = new ProcessPoolExecutor({ maxWorkers: 1 });
  const results = [await toThread((x) => x + 1, 1), await threads.submit(() => 2), await processes.submit(() => 3)];
  console.log(results.join(","));
});
`,
  );
  assert.equal(code, 0, `exit code ${code}, stderr: ${err}`);
  assert.equal(out.trim(), "2,2,3");
});

test("a program without run() that never shuts its pools down exits by itself", async () => {
  const { code, out, err } = await runScript(
    "no-run.mjs",
    `import { toThread, ThreadPoolExecutor, ProcessPoolExecutor } from ${JSON.stringify(INDEX)};
const threads = new ThreadPoolExecutor();
const processes = new ProcessPoolExecutor();
const results = await Promise.all([toThread(() => "a"), threads.submit(() => "b"), processes.submit(() => "c")]);
console.log(results.join(""));
`,
  );
  assert.equal(code, 0, `exit code ${code}, stderr: ${err}`);
  assert.equal(out.trim(), "abc");
});

test("a program whose main fails after worker crashes, with calls left running, exits by itself", async () => {
  const { code, err } = await runScript(
    "crashes.mjs",
    `import { run, toThread, ThreadPoolExecutor, ProcessPoolExecutor } from ${JSON.stringify(INDEX)};
await run(async () => {
  const threads = new ThreadPoolExecutor({ maxWorkers: 2 });
  const processes = new ProcessPoolExecutor({ maxWorkers: 2 });
  threads.submit((s) => new Promise((r) => setTimeout(r, s * 1000)), 0.2); // left running
  processes.submit((s) => new Promise((r) => setTimeout(r, s * 1000)), 0.2); // left running
  const pid = await processes.submit(() => process.pid);
  const killed = processes.submit(() => new Promise(() => {}));
  process.kill(pid, "SIGKILL");
  await killed.catch(() => {});
  toThread(() => { throw new Error("nobody reads this"); });
  await threads.submit(() => process.exit(5));
});
`,
  );
  assert.equal(code, 1, `exit code ${code}, stderr: ${err}`);
  assert.match(err, /BrokenExecutorError: ThreadPoolExecutor: a worker exited with code 5/);
});
