/**
 * ProcessPoolExecutor: the shared pool contract on child processes, plus process isolation.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { workerExecArgv } from "../src/executors/exec-argv.js";
import { BrokenExecutorError, ProcessPoolExecutor, sleep, withTransfer } from "../src/index.js";
import { eventually, poolContract, withPool } from "./executors-contract.js";

const make = (maxWorkers: number) => new ProcessPoolExecutor({ maxWorkers });

poolContract("ProcessPoolExecutor", make);

describe("ProcessPoolExecutor: processes only", () => {
  test("maxWorkers defaults to the number of cores", async () => {
    const { availableParallelism } = await import("node:os");
    assert.equal(new ProcessPoolExecutor().maxWorkers, availableParallelism());
  });

  test("calls run in another process", async () => {
    await withPool(make, 1, async (pool) => {
      const pid = await pool.submit(() => process.pid);
      assert.equal(typeof pid, "number");
      assert.notEqual(pid, process.pid);
    });
  });

  test("withTransfer is accepted and the value is copied (a pipe cannot move memory)", async () => {
    await withPool(make, 1, async (pool) => {
      const bytes = new Uint8Array([1, 2, 3]);
      assert.equal(
        await pool.submit((b: Uint8Array) => b.length, withTransfer(bytes, [bytes.buffer])),
        3,
      );
      assert.equal(bytes.byteLength, 3);
    });
  });
});

describe("ProcessPoolExecutor: worker processes", () => {
  test("a worker killed by a signal fails its call with BrokenExecutorError naming the signal", async () => {
    await withPool(make, 1, async (pool) => {
      const pid = await pool.submit(() => process.pid);
      const hung = pool.submit(() => new Promise(() => {}));
      process.kill(pid, "SIGKILL");
      const err = await hung.catch((e: unknown) => e as BrokenExecutorError);
      assert.ok(err instanceof BrokenExecutorError);
      assert.equal(err.exitCode, "SIGKILL");
      assert.match(err.message, /a worker was killed by signal SIGKILL while running a call/);
      assert.equal(await pool.submit(() => "replaced"), "replaced");
    });
  });

  test("shutdown waits for the exit of a worker stopped by a cancellation too", async () => {
    await withPool(make, 1, async (pool) => {
      const pid = await pool.submit(() => process.pid);
      const spin = pool.submit(() => {
        for (;;) {}
      });
      await eventually(() => pool.statistics().running === 1);
      await sleep(0.05); // the worker is inside the endless loop
      spin.cancel();
      await pool.shutdown();
      // Before, shutdown resolved without waiting for that SIGKILLed worker's exit.
      assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, "the worker process is gone");
    });
  });

  test("workers do not inherit the parent's entry-point and inspector options", () => {
    assert.deepEqual(
      workerExecArgv([
        "--input-type",
        "module",
        "-e",
        "code",
        "--max-old-space-size=64",
        "--eval=code",
        "-pe",
        "expr",
        "--inspect-brk=0",
        "--inspect-port",
        "9230",
        "--import",
        "tsx",
        "--input-type=commonjs",
        "--watch",
        "--conditions=dev",
      ]),
      ["--max-old-space-size=64", "--import", "tsx", "--conditions=dev"],
    );
  });

  test("a program run with node --input-type=module -e can use a process pool", async () => {
    const index = new URL("../src/index.js", import.meta.url).href;
    const program = `import { ProcessPoolExecutor } from ${JSON.stringify(index)};
const pool = new ProcessPoolExecutor({ maxWorkers: 1 });
console.log(await pool.submit((x) => x * 2, 21));
await pool.shutdown();`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", program],
      { timeout: 10_000 },
    );
    assert.equal(stdout.trim(), "42");
  });
});
