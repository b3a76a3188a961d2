/**
 * The bounded join of the default executor: `loop.shutdownDefaultExecutor(timeout)` and the
 * 300 s that `run()` gives it (asyncio's THREAD_JOIN_TIMEOUT). Past the limit: a RuntimeWarning,
 * and the calls still running are stopped, so the program exits by itself.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CancelledError, getRunningLoop, run, ThreadPoolExecutor, toThread } from "../src/index.js";
import { VirtualClock } from "../src/testing.js";

const INDEX = new URL("../src/index.js", import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-join-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A call that never returns on its own (a thread blocked forever). */
const forever = (): string => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);

/** Collects the process warnings emitted while `fn` runs. */
async function warningsDuring(fn: () => Promise<void>): Promise<Error[]> {
  const seen: Error[] = [];
  const listener = (w: Error): void => {
    seen.push(w);
  };
  process.on("warning", listener);
  try {
    await fn();
    // process.emitWarning delivers on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.removeListener("warning", listener);
  }
  return seen;
}

test("shutdownDefaultExecutor(timeout): past the limit it warns (RuntimeWarning) and stops the calls still running", async () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
  let stuck: ReturnType<typeof toThread<[], string>> | undefined;
  const warnings = await warningsDuring(() =>
    run(async () => {
      const loop = getRunningLoop();
      loop.setDefaultExecutor(pool);
      stuck = toThread(forever);
      assert.equal(await toThread((x: number) => x * 2, 21), 42);
      const t0 = performance.now();
      // Should the limit be ignored, stop the thread after 5 s so that the test fails, not hangs.
      const guard = setTimeout(() => stuck!.cancel(), 5000);
      await loop.shutdownDefaultExecutor(0.2);
      clearTimeout(guard);
      const waited = (performance.now() - t0) / 1000;
      assert.ok(waited >= 0.15 && waited < 5, `waited ${waited} s for a 0.2 s limit`);
    }),
  );
  assert.deepEqual(
    warnings.map((w) => [w.name, w.message]),
    [
      [
        "RuntimeWarning",
        "The executor did not finish joining its threads within 0.2 seconds; its calls still running were stopped (their threads terminated) so that the program can exit",
      ],
    ],
  );
  assert.ok(stuck!.cancelled(), "the stuck call was cancelled");
  assert.throws(() => stuck!.result(), CancelledError);
  assert.equal(pool.statistics().state, "shut-down");
  assert.equal(pool.statistics().workers, 0);
});

test("shutdownDefaultExecutor(timeout) waits for calls that finish in time, and warns about nothing", async () => {
  const warnings = await warningsDuring(() =>
    run(async () => {
      const late = toThread((ms: number) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
        return "done";
      }, 50);
      await getRunningLoop().shutdownDefaultExecutor(10);
      assert.equal(late.result(), "done");
    }),
  );
  assert.deepEqual(warnings, []);
});

test("the limit is real time: under a VirtualClock, where idle loop time jumps, a short call still finishes", async () => {
  let late: ReturnType<typeof toThread<[number], string>> | undefined;
  const warnings = await warningsDuring(() =>
    run(
      async () => {
        late = toThread((ms: number) => {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
          return "done";
        }, 100);
        // Not awaited: run() joins it at the end with its 300 s limit.
      },
      { clock: new VirtualClock() },
    ),
  );
  assert.deepEqual(warnings, []);
  assert.equal(late!.result(), "done");
});

test("shutdownDefaultExecutor() rejects a timeout that is not a number or null", async () => {
  await run(async () => {
    await assert.rejects(
      getRunningLoop().shutdownDefaultExecutor("1" as unknown as number),
      (e: unknown) =>
        e instanceof TypeError &&
        e.message ===
          'shutdownDefaultExecutor() expected a timeout in seconds (a number or null), got the string "1"',
    );
  });
});

test("run() joins the default executor with a 300 s limit, then warns and stops it: the program exits by itself", async () => {
  const file = join(dir, "stuck-thread.mjs");
  // The 300 s of run() are recorded, then replaced by 0.2 s so that the test does not wait 300 s.
  writeFileSync(
    file,
    `import { EventLoop, run, toThread } from ${JSON.stringify(INDEX)};
const original = EventLoop.prototype.shutdownDefaultExecutor;
EventLoop.prototype.shutdownDefaultExecutor = function (timeout) {
  console.log("timeout", timeout);
  return original.call(this, timeout === 300 ? 0.2 : timeout);
};
await run(async () => {
  void toThread(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
  console.log("main done");
});
console.log("run done");
`,
  );
  // Synchronous: nothing else runs in this test meanwhile; the 10 s kill fails a hang.
  const child = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 10_000 });
  const [code, out, err] = [child.status, child.stdout, child.stderr];
  assert.equal(code, 0, `exit code ${code}, stderr: ${err}`);
  assert.deepEqual(out.trim().split("\n"), ["main done", "timeout 300", "run done"]);
  assert.match(
    err,
    /RuntimeWarning: The executor did not finish joining its threads within 0\.2 seconds/,
  );
});
