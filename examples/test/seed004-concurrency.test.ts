/**
 * Seed 004 §1-§6 (sync vs async, coroutines, await, the loop, tasks, gather, wait,
 * as_completed, timeouts): every printed line with the virtual time it was printed at, and the
 * total virtual duration.
 */
import { describe, test } from "node:test";
import { main as asCompleted } from "../src/seed004-as-completed.js";
import { main as awaitExample } from "../src/seed004-await.js";
import { main as coroutineObject } from "../src/seed004-coroutine-object.js";
import { main as createTask } from "../src/seed004-create-task.js";
import { main as eventLoop } from "../src/seed004-event-loop.js";
import { main as gather } from "../src/seed004-gather.js";
import { main as returnExceptions } from "../src/seed004-return-exceptions.js";
import { main as syncVsAsync } from "../src/seed004-sync-vs-async.js";
import { main as timeout } from "../src/seed004-timeout.js";
import { main as wait } from "../src/seed004-wait.js";
import { main as waitFor } from "../src/seed004-wait-for.js";
import { expectOutput } from "./capture.js";

describe("seed 004 §1-§3: sync vs async, coroutines, await, the event loop", () => {
  test("sync vs async: 6 s one after the other, then 2 s with gather", async () => {
    await expectOutput(syncVsAsync, {
      timeline: [
        "0.0 -- synchronous: one after the other --",
        "0.0 Task 1 started",
        "2.0 Task 1 done",
        "2.0 Task 2 started",
        "4.0 Task 2 done",
        "4.0 Task 3 started",
        "6.0 Task 3 done",
        "6.0 total 6.0 s",
        "6.0 -- asynchronous: gather --",
        "6.0 Task 1 started",
        "6.0 Task 2 started",
        "6.0 Task 3 started",
        "8.0 Task 1 done",
        "8.0 Task 2 done",
        "8.0 Task 3 done",
        "8.0 total 2.0 s",
      ],
      duration: 8,
    });
  });

  test("coroutine object: a call gives a promise; a task prints as pending until it runs", async () => {
    await expectOutput(coroutineObject, {
      lines: [
        "[object Promise]",
        "the promise resolves to: Hello, Async!",
        "Hello, Async!",
        '<Task pending name="my_coroutine">',
        "Hello, Async!",
      ],
      duration: 0,
    });
  });

  test("await: the result arrives after the simulated I/O second", async () => {
    await expectOutput(awaitExample, {
      timeline: ["0.0 Fetching data...", "1.0 { data: 'value' }"],
      duration: 1,
    });
  });

  test("event loop: run(main), runUntilComplete by hand, and the running loop", async () => {
    await expectOutput(eventLoop, {
      lines: [
        "main coroutine",
        "main coroutine",
        "current loop: <EventLoop open tasks=1 clock=virtual>",
      ],
    });
  });
});

describe("seed 004 §4-§5: create_task, gather, wait, as_completed", () => {
  test("create_task: tasks start when main yields, in order; B (1 s) ends before A (2 s)", async () => {
    await expectOutput(createTask, {
      timeline: [
        "0.0 tasks created",
        "0.0 A started",
        "0.0 B started",
        "1.0 B done",
        "2.0 A done",
        "2.0 results: A, B",
      ],
      duration: 2,
    });
  });

  test("gather: results in argument order after the slowest (2 s)", async () => {
    await expectOutput(gather, {
      timeline: ["2.0 ['url1 data', 'url2 data', 'url3 data']"],
      duration: 2,
    });
  });

  test("return_exceptions: the error takes its place in the results after 1 s", async () => {
    await expectOutput(returnExceptions, {
      timeline: ["1.0 [1, RangeError('Error!'), 3]"],
      duration: 1,
    });
  });

  test("wait FIRST_COMPLETED: 1 done and 2 pending at 1 s; the pending ones end cancelled", async () => {
    await expectOutput(wait, {
      timeline: [
        "1.0 done: 1, pending: 2",
        "1.0 finished first: url2 data",
        "1.0 cancelled: url1, url3",
      ],
      duration: 1,
    });
  });

  test("as_completed: url2, url3, url1 at 1, 2, 3 s, in both iteration forms", async () => {
    await expectOutput(asCompleted, {
      timeline: [
        "0.0 -- for (const next of asCompleted(...)) await next --",
        "1.0 url2 data",
        "2.0 url3 data",
        "3.0 url1 data",
        "3.0 -- for await (const task of asCompleted(tasks)) --",
        "4.0 url2: url2 data",
        "5.0 url3: url3 data",
        "6.0 url1: url1 data",
      ],
      duration: 6,
    });
  });
});

describe("seed 004 §6: timeouts", () => {
  test("wait_for: the slow operation is cancelled at 2 s, before TimeoutError is caught", async () => {
    await expectOutput(waitFor, {
      timeline: ["2.0 slow operation cancelled", "2.0 Timeout! (after 2.0 s)"],
      duration: 2,
    });
  });

  test("timeout: expires at 2 s; a deadline rescheduled to 22 s lets the 10 s operation finish", async () => {
    await expectOutput(timeout, {
      timeline: [
        "2.0 TimeoutError at 2.0 s: timeout(2) expired",
        "12.0 with a rescheduled deadline: done at 12.0 s",
      ],
      duration: 12,
    });
  });
});
