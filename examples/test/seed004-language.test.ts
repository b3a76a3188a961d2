/**
 * Seed 004 §7-§12 (async context managers, async iterators, files, sync/async mixing, error
 * handling): every printed line, when it was printed, and the total virtual duration.
 */
import { describe, test } from "node:test";
import { main as aiofiles } from "../src/seed004-aiofiles.js";
import { main as asyncContextManager } from "../src/seed004-async-context-manager.js";
import { main as asyncIterator } from "../src/seed004-async-iterator.js";
import { main as contextlib } from "../src/seed004-asynccontextmanager.js";
import { main as errors } from "../src/seed004-errors.js";
import { main as mixing } from "../src/seed004-sync-async-mixing.js";
import { expectOutput } from "./capture.js";

describe("seed 004 §7: async context managers", () => {
  test("await using and the scoped callback acquire, use and release; the callback sees errors", async () => {
    await expectOutput(asyncContextManager, {
      timeline: [
        "0.0 -- await using --",
        "0.0 resource acquired",
        "0.1 using resource (true)",
        "0.1 resource released",
        "0.2 -- scoped callback --",
        "0.2 resource acquired",
        "0.3 using resource",
        "0.3 resource released",
        "0.4 -- scoped callback, the block fails --",
        "0.4 resource acquired",
        "0.5 resource released after: RangeError: bad input",
        "0.6 the error still propagates: RangeError: bad input",
      ],
      duration: 0.6,
    });
  });

  test("asynccontextmanager: the generator enters before its yield and exits after it, twice", async () => {
    await expectOutput(contextlib, {
      lines: ["acquire", "using: resource", "release", "acquire", "using: resource", "release"],
    });
  });
});

describe("seed 004 §8: async iterators", () => {
  test("the class and the generator each yield 0..4, one every 0.1 s", async () => {
    const numbers = (from: number) =>
      [0, 1, 2, 3, 4].map((n) => `${(from + (n + 1) / 10).toFixed(1)} ${n}`);
    await expectOutput(asyncIterator, {
      timeline: [
        "0.0 -- AsyncRange(0, 5) --",
        ...numbers(0),
        "0.5 -- asyncRange(0, 5) --",
        ...numbers(0.5),
      ],
      duration: 1,
    });
  });
});

describe("seed 004 §9-§10: files and blocking code", () => {
  test("aiofiles: the written text is read back", async () => {
    await expectOutput(aiofiles, { lines: ["Hello, Async!"] });
  });

  test("mixing: runInExecutor and toThread return the thread's result; run() from outside a loop", async () => {
    // Blocking threads take real time, which the virtual clock does not count.
    await expectOutput(
      mixing,
      {
        timeline: ["0.0 runInExecutor: result", "0.0 toThread: result", "1.0 run: result"],
        duration: 1,
      },
      { blockingSeconds: 0.05 },
    );
  });
});

describe("seed 004 §12: error handling", () => {
  test("a task's error at its await; gather's returned errors; a TaskGroup cancels the sibling", async () => {
    await expectOutput(errors, {
      timeline: [
        "1.0 Exception raised: error!",
        "2.0 Success: task1 result",
        "2.0 Error: task2 failed",
        "2.5 TaskGroup: [RangeError('task2 failed')]; task1 cancelled: true",
      ],
      duration: 2.5,
    });
  });
});
