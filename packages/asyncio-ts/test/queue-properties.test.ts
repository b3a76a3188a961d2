// Property tests of the queues: random producers and consumers on a bounded queue, with random
// cancellations (from timers and right after another task's put/get, so woken waiters get
// cancelled before they run) and timeouts. Every item whose put() returned is got exactly once
// or is still in the queue; an item whose put() threw was never enqueued; the bound holds.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  CancelledError,
  createTask,
  gather,
  getRunningLoop,
  LifoQueue,
  PriorityQueue,
  Queue,
  sleep,
  type Task,
  TimeoutError,
  timeout,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

const delay = fc.integer({ min: 0, max: 3 });
const actor = fc.record({
  producer: fc.boolean(),
  start: delay,
  pause: delay,
  count: fc.integer({ min: 1, max: 4 }),
  cancelAt: fc.option(delay, { nil: null }),
  timeout: fc.option(delay, { nil: null }),
  kill: fc.option(fc.nat({ max: 7 }), { nil: null }),
});

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1500);

const KINDS = {
  Queue: (maxsize: number) => new Queue<number>(maxsize),
  LifoQueue: (maxsize: number) => new LifoQueue<number>(maxsize),
  PriorityQueue: (maxsize: number) => new PriorityQueue<number>(maxsize),
};

describe("properties of the queues", () => {
  for (const [kind, make] of Object.entries(KINDS)) {
    test(`${kind}: nothing lost, nothing duplicated, cancelled puts not enqueued`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 3 }),
          fc.array(actor, { minLength: 1, maxLength: 8 }),
          async (maxsize, actors) => {
            await runVirtual(async () => {
              const q = make(maxsize);
              const putOk = new Set<number>();
              const putFailed = new Set<number>();
              const got: number[] = [];
              let nextItem = 0;
              const tasks: Task<void>[] = [];
              const checkBound = () => assert.ok(q.qsize() <= maxsize, `${q} over its bound`);
              for (const a of actors) {
                const kill = () => {
                  if (a.kill !== null) tasks[a.kill % tasks.length]!.cancel();
                };
                const one = async () => {
                  if (a.producer) {
                    const item = nextItem++;
                    try {
                      await q.put(item);
                      putOk.add(item);
                    } catch (error) {
                      putFailed.add(item);
                      throw error;
                    }
                  } else {
                    got.push(await q.get());
                  }
                  checkBound();
                  kill();
                };
                tasks.push(
                  createTask(async () => {
                    await sleep(a.start);
                    for (let i = 0; i < a.count; i++) {
                      if (a.timeout === null) await one();
                      else await timeout(a.timeout, one);
                      await sleep(a.pause);
                    }
                  }),
                );
              }
              const loop = getRunningLoop();
              actors.forEach((a, i) => {
                if (a.cancelAt !== null) loop.callLater(a.cancelAt, () => tasks[i]!.cancel());
              });
              // Consumers may wait forever for items nobody puts: end the run at t=1000.
              await sleep(1000);
              // Long after the last event, nobody waits for something that is available.
              const stats = q.statistics();
              assert.ok(stats.getters === 0 || stats.size === 0, `getters stuck: ${q}`);
              assert.ok(stats.putters === 0 || stats.size >= maxsize, `putters stuck: ${q}`);
              for (const t of tasks) t.cancel();
              const outcomes = await gather(tasks, { returnExceptions: true });
              for (const o of outcomes) {
                if (o !== undefined && !(o instanceof CancelledError)) {
                  assert.ok(o instanceof TimeoutError, `unexpected outcome ${String(o)}`);
                }
              }
              const left: number[] = [];
              while (!q.empty()) left.push(q.getNowait());
              const all = [...got, ...left].sort((x, y) => x - y);
              assert.deepEqual(
                all,
                [...putOk].sort((x, y) => x - y),
                "items lost or duplicated",
              );
              for (const item of putFailed) assert.ok(!all.includes(item), `${item} enqueued`);
              assert.deepEqual(
                [q.statistics().getters, q.statistics().putters],
                [0, 0],
                "waiters left behind",
              );
              assert.equal(q.statistics().unfinishedTasks, putOk.size);
            });
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});
