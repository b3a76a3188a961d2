// The public surface is explicit (STYLE.md lesson 2): this snapshot fails when an export is
// added or removed by accident. Update it deliberately, together with API.md and the docs.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as root from "../src/index.js";
import * as testing from "../src/testing.js";

const KERNEL_EXPORTS = [
  "ALL_COMPLETED",
  "AsCompleted",
  "BrokenBarrierError",
  "BrokenExecutorError",
  "CancelledError",
  "EventLoop",
  "ExceptionGroup",
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
  "Future",
  "GatheringFuture",
  "Handle",
  "InvalidStateError",
  "KeyboardInterrupt",
  "QueueEmpty",
  "QueueFull",
  "QueueShutDown",
  "RuntimeError",
  "Task",
  "TaskGroup",
  "Timeout",
  "TimeoutError",
  "TimerHandle",
  "allTasks",
  "asCompleted",
  "cancellable",
  "createTask",
  "currentTask",
  "describeAwait",
  "ensureFuture",
  "formatTaskTree",
  "gather",
  "getEventLoop",
  "getRunningLoop",
  "printTaskTree",
  "run",
  "shield",
  "sleep",
  "taskGroup",
  "timeout",
  "timeoutAt",
  "wait",
  "waitFor",
];

test("the package root exports every name of the kernel's public API", () => {
  const names = new Set(Object.keys(root));
  const missing = KERNEL_EXPORTS.filter((name) => !names.has(name));
  assert.deepEqual(missing, []);
});

test("no internal helper leaks from the package root", () => {
  const leaked = Object.keys(root).filter(
    (name) =>
      name.startsWith("_") ||
      /^(taskStorage|adoptPromise|isThenable|enterLoop|CallQueue|Deque|TimerHeap)$/.test(name),
  );
  assert.deepEqual(leaked, []);
});

test("asyncio-ts/testing exports VirtualClock only", () => {
  assert.deepEqual(Object.keys(testing).sort(), ["VirtualClock"]);
});

test("every exported error class has a correct name", () => {
  for (const name of Object.keys(root)) {
    const value = (root as Record<string, unknown>)[name];
    if (typeof value === "function" && value.prototype instanceof Error) {
      const instance = new (value as new (...args: unknown[]) => Error)("m", [new Error("x")]);
      assert.equal(instance.name, name, `${name}.name`);
    }
  }
});
