/**
 * The error rule of docs/errors.md, over every public function that returns something to await:
 * - a function or method that returns a Promise never throws at the call: a bad argument (or
 *   any other error) rejects the promise, so `await f(bad)` in a try block and `f(bad).catch()`
 *   both see it;
 * - a function that returns a Future, a Task or an iterator builds that object at the call and
 *   throws there, as its asyncio counterpart (a plain function) raises at the call.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as api from "../src/index.js";
import {
  Barrier,
  Condition,
  EventLoop,
  Future,
  getRunningLoop,
  KeyedRateLimiter,
  PriorityQueue,
  Queue,
  QueueShutDown,
  RateLimiter,
  RuntimeError,
  ThreadPoolExecutor,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

type ErrorClass = new (...args: never[]) => Error;

/** [what, the call, the error it must reject with, whether to call it outside run()] */
const REJECTS: [string, () => unknown, ErrorClass, "outside run"?][] = [
  ["sleep('1')", () => api.sleep("1" as never), TypeError],
  ["sleep(NaN)", () => api.sleep(Number.NaN), RangeError],
  ["cancellable(5)", () => api.cancellable(5 as never), TypeError],
  ["waitFor(promise, '1')", () => api.waitFor(Promise.resolve(1), "1" as never), TypeError],
  ["waitFor(promise, NaN)", () => api.waitFor(Promise.resolve(1), Number.NaN), RangeError],
  ["waitFor(5, 1)", () => api.waitFor(5 as never, 1), TypeError],
  ["wait(5)", () => api.wait(5 as never), TypeError],
  ["wait([])", () => api.wait([]), RangeError],
  [
    "wait([p], { returnWhen: 'x' })",
    () => api.wait([Promise.resolve(1)], { returnWhen: "x" as never }),
    RangeError,
  ],
  ["timeout('1', body)", () => api.timeout("1" as never, async () => 1), TypeError],
  ["timeout(1, 5)", () => api.timeout(1, 5 as never), TypeError],
  ["timeoutAt(NaN, body)", () => api.timeoutAt(Number.NaN, async () => 1), RangeError],
  ["timeoutAt(1, 5)", () => api.timeoutAt(1, 5 as never), TypeError],
  ["taskGroup(5)", () => api.taskGroup(5 as never), TypeError],
  ["run(5)", () => api.run(5 as never), TypeError, "outside run"],
  ["run() inside run()", () => api.run(async () => 1), RuntimeError],
  ["loop.runUntilComplete(5)", () => getRunningLoop().runUntilComplete(5 as never), TypeError],
  [
    "loop.runUntilComplete() on a closed loop",
    () => closedLoop().runUntilComplete(Promise.resolve(1)),
    RuntimeError,
  ],
  [
    "loop.shutdownDefaultExecutor('1')",
    () => getRunningLoop().shutdownDefaultExecutor("1" as never),
    TypeError,
  ],
  [
    "pool.shutdown({ wiat })",
    () => new ThreadPoolExecutor().shutdown({ wiat: true } as never),
    TypeError,
  ],
  ["condition.wait() without the lock", () => new Condition().wait(), RuntimeError],
  ["condition.waitFor(5)", () => new Condition().waitFor(5 as never), TypeError],
  ["barrier.wait() when broken", () => brokenBarrier().wait(), api.BrokenBarrierError],
  ["queue.put() after shutdown", () => shutDownQueue().put(1), QueueShutDown],
  ["queue.get() after shutdown", () => shutDownQueue().get(), QueueShutDown],
  ["priorityQueue.put(incomparable)", () => priorityQueueWith(1).put({} as never), TypeError],
  [
    "rateLimiter.acquire('1')",
    () => new RateLimiter({ rate: 1 }).acquire("1" as never),
    RangeError,
  ],
  ["rateLimiter.acquire(0)", () => new RateLimiter({ rate: 1 }).acquire(0), RangeError],
  ["rateLimiter.acquire(over burst)", () => new RateLimiter({ rate: 1 }).acquire(2), RangeError],
  ["rateLimiter.use(5)", () => new RateLimiter({ rate: 1 }).use(5 as never), TypeError],
  [
    "keyedRateLimiter.acquire(undefined)",
    () => new KeyedRateLimiter({ rate: 1 }).acquire(undefined as never),
    TypeError,
  ],
  [
    "keyedRateLimiter.acquire(key, -1)",
    () => new KeyedRateLimiter({ rate: 1 }).acquire("k", -1),
    RangeError,
  ],
  [
    "keyedRateLimiter.use(key, 5)",
    () => new KeyedRateLimiter({ rate: 1 }).use("k", 5 as never),
    TypeError,
  ],
];

/** [what, the call, the error it must throw]: these return a Future, Task or iterator. */
const THROWS: [string, () => unknown, ErrorClass][] = [
  ["createTask(5)", () => api.createTask(5 as never), TypeError],
  ["ensureFuture(5)", () => api.ensureFuture(5 as never), TypeError],
  ["gather(5)", () => api.gather(5 as never), TypeError],
  [
    "gather([p], { returnExecptions })",
    () => api.gather([Promise.resolve(1)], { returnExecptions: true } as never),
    TypeError,
  ],
  ["shield(5)", () => api.shield(5 as never), TypeError],
  ["asCompleted(5)", () => api.asCompleted(5 as never), TypeError],
  ["toThread(5)", () => api.toThread(5 as never), TypeError],
  [
    "loop.runInExecutor(null, 5)",
    () => getRunningLoop().runInExecutor(null, 5 as never),
    TypeError,
  ],
  ["pool.submit(5)", () => new ThreadPoolExecutor().submit(5 as never), TypeError],
  // API.md: "After `shutdown`, submitting throws `RuntimeError`".
  ["pool.submit() after shutdown", () => shutDownPool().submit(() => 1), RuntimeError],
  [
    "pool.map(fn, items, { chunkSize })",
    () => new ThreadPoolExecutor().map((x: number) => x, [1], { chunkSize: 2 } as never),
    TypeError,
  ],
];

/**
 * The exported functions that return nothing to await, or a value that is not a promise (a
 * loop, a set, a string, a function, a marker): outside the rule.
 */
const NOT_AWAITABLE = [
  "getRunningLoop",
  "getEventLoop",
  "allTasks",
  "currentTask",
  "describeAwait",
  "formatTaskTree",
  "printTaskTree",
  "defaultCompare",
  "moduleFunction",
  "withTransfer",
];

function closedLoop(): EventLoop {
  const loop = new EventLoop();
  loop.close();
  return loop;
}

function shutDownPool(): ThreadPoolExecutor {
  const pool = new ThreadPoolExecutor();
  void pool.shutdown();
  return pool;
}

function brokenBarrier(): Barrier {
  const barrier = new Barrier(2);
  void barrier.abort();
  return barrier;
}

function shutDownQueue(): Queue<number> {
  const queue = new Queue<number>();
  queue.shutdown(true);
  return queue;
}

function priorityQueueWith(item: number): PriorityQueue<number> {
  const queue = new PriorityQueue<number>();
  queue.putNowait(item);
  return queue;
}

const isClass = (f: unknown): boolean =>
  typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

describe("errors of functions that return something to await", () => {
  test("every exported function is in the inventory", () => {
    const listed = new Set(
      [...REJECTS, ...THROWS].map(([what]) => /^\w+/.exec(what)![0]).concat(NOT_AWAITABLE),
    );
    const functions = Object.entries(api)
      .filter(([, value]) => typeof value === "function" && !isClass(value))
      .map(([name]) => name);
    assert.deepEqual(
      functions.filter((name) => !listed.has(name)),
      [],
      "exported functions missing from the tables of this test",
    );
  });

  for (const [what, call, expected, where] of REJECTS) {
    test(`${what} rejects with ${expected.name} and does not throw`, async () => {
      const check = async (): Promise<void> => {
        let result: unknown;
        assert.doesNotThrow(() => {
          result = call();
        }, `${what} threw at the call`);
        assert.ok(result instanceof Promise, `${what} returned ${String(result)}, not a Promise`);
        await assert.rejects(result as Promise<unknown>, expected);
      };
      await (where === "outside run" ? check() : runVirtual(check));
    });
  }

  for (const [what, call, expected] of THROWS) {
    test(`${what} throws ${expected.name} at the call (it returns a Future, Task or iterator)`, async () => {
      await runVirtual(async () => {
        assert.throws(call, expected);
      });
    });
  }

  test("the functions of the throwing table do return a Future or an iterator", async () => {
    await runVirtual(async () => {
      const p = Promise.resolve(1);
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const built: unknown[] = [
        api.createTask(async () => 1),
        api.ensureFuture(p),
        api.gather(p),
        api.shield(p),
        api.toThread(() => 1),
        getRunningLoop().runInExecutor(null, () => 1),
        pool.submit(() => 1),
      ];
      for (const value of built) assert.ok(value instanceof Future, String(value));
      assert.equal(typeof api.asCompleted([p])[Symbol.iterator], "function");
      await Promise.all(built as Future<unknown>[]);
      await pool.shutdown();
    });
  });
});
