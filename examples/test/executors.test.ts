/**
 * Seed 001's executor programs. Their blocking sleeps are real time (a worker thread really
 * blocks), so the tests shorten them and check what the programs print: the order of events,
 * and times that show the blocking calls overlapped.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { main as runInExecutor } from "../src/seed001-run-in-executor.js";
import { main as threadsVsSleep } from "../src/seed001-threads-vs-sleep.js";
import { capture } from "./capture.js";

/** The seconds printed on a "time taken: 1.23 s" line. */
function seconds(line: string | undefined): number {
  const match = /^time taken: (\d+\.\d+) s$/.exec(line ?? "");
  assert.ok(match, `expected "time taken: <seconds> s", got ${JSON.stringify(line)}`);
  return Number(match[1]);
}

describe("seed 001: run_in_executor", () => {
  test("two blocking sleeps on the default thread pool overlap: the shorter one, started second, ends first", async () => {
    const { lines } = await capture(runInExecutor, { scale: 0.5 });
    assert.deepEqual(lines.slice(0, 6), [
      "Coroutine 1 started",
      "Coroutine 1 paused... waiting 2.5 s",
      "Coroutine 2 started",
      "Coroutine 2 paused... waiting 2 s",
      "Coroutine 2 resumed",
      "Coroutine 1 resumed",
    ]);
    // Run one after the other, coroutine 1 would resume first (at 2.5 s, then 2 at 4.5 s): the
    // order above is the proof that they overlapped. No upper bound on the time: threads start
    // slowly on a loaded machine, and speed belongs in benchmarks.
    assert.ok(seconds(lines[6]) >= 2.5, lines[6]);
  });
});

describe("seed 001: threads versus sleep()", () => {
  test("blocking sleeps run in rounds of the pool's size; sleep() tasks all wait at once", async () => {
    const { lines } = await capture(threadsVsSleep, {
      blockingCalls: 12,
      workers: 4,
      sleeps: 1000,
      seconds: 0.05,
    });
    assert.equal(lines.length, 4);
    assert.equal(lines[0], "12 blocking sleeps of 0.05 s on 4 threads (3 rounds)");
    assert.ok(seconds(lines[1]) >= 0.15, "3 rounds of 0.05 s blocking sleeps take at least 0.15 s");
    assert.equal(lines[2], "1000 sleep(0.05) tasks on the event loop");
    assert.ok(seconds(lines[3]) >= 0);
  });
});
