/**
 * ProcessPoolExecutor: the shared pool contract on child processes, plus process isolation.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ProcessPoolExecutor, withTransfer } from "../src/index.js";
import { poolContract, withPool } from "./executors-contract.js";

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
