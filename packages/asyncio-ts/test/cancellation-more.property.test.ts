// More cancellation properties, for what sync-properties and queue-properties do not reach:
// acquires and gets wrapped in waitFor (the promise form, whose adopting future is what gets
// cancelled, and the function form), with deadlines, releases and cancellations landing on the
// same virtual instants. Nothing may be taken for nobody: no permit or lock held by a waiter
// that gave up, no item got by a get that timed out.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  BoundedSemaphore,
  CancelledError,
  createTask,
  getRunningLoop,
  Lock,
  Queue,
  QueueShutDown,
  Semaphore,
  sleep,
  type Task,
  TimeoutError,
  waitFor,
} from "../src/index.js";
import { gatherOrDeadlock, runVirtual } from "./helpers.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 700);

/** Small integer delays (and 0) so that releases, deadlines and cancellations collide. */
const delay = fc.integer({ min: 0, max: 4 });

const actor = fc.record({
  start: delay,
  hold: delay,
  rounds: fc.integer({ min: 1, max: 3 }),
  /** The waitFor limit around each acquire (null: a plain await). */
  limit: fc.option(delay, { nil: null }),
  /** waitFor(acquire(), t) adopts the promise; waitFor(() => acquire(), t) runs a task. */
  form: fc.constantFrom("promise" as const, "function" as const),
  cancelAt: fc.option(delay, { nil: null }),
  /** Right after releasing, cancel this other actor (it may just have been granted). */
  kill: fc.option(fc.nat({ max: 7 }), { nil: null }),
});
type Actor = typeof actor extends fc.Arbitrary<infer A> ? A : never;

/**
 * Awaits `acquire()` as `a` says: plainly, or in waitFor in either form. Resolves with what it
 * acquired, or TIMED_OUT if waitFor timed out without it. In the function form the acquiring
 * task may finish in the very turn the deadline (or a cancellation) arrives, and its result is
 * dropped: asyncio's wait_for does the same (the task is done, its awaiter is cancelled before
 * it resumed), and here a task whose function has returned is also still cancellable until its
 * promise's reaction runs (see the report of this suite). So a careful caller records what the
 * task got, as this one does: `salvage` gets it before the error goes on.
 */
async function acquireAs<T>(
  a: Actor,
  acquire: () => Promise<T>,
  salvage: (value: T) => void,
): Promise<T | typeof TIMED_OUT> {
  if (a.limit === null) return await acquire();
  if (a.form === "promise") {
    const promise = acquire();
    try {
      return await waitFor(promise, a.limit);
    } catch (error) {
      // The promise settles either way (a waiter that gave up rejects it), and tells the truth.
      const outcome = await promise.then(
        (value) => ({ value }),
        () => null,
      );
      if (error instanceof TimeoutError) {
        // The deadline is a timer: it never lands between an acquire and its adopting future
        // seeing it, so a waitFor that timed out must not have taken anything.
        assert.equal(outcome, null, "waitFor(acquire(), t) timed out and took it for nobody");
        return TIMED_OUT;
      }
      // A cancel from another task may land in the microtasks between an acquire done at once
      // (or a grant's resume step) and the adopting future seeing it: the promise form cannot
      // stop what already happened (docs/synchronization.md: pass a function to waitFor).
      if (outcome !== null) salvage(outcome.value);
      throw error;
    }
  }
  let got: { value: T } | null = null;
  try {
    return await waitFor(async () => {
      const value = await acquire();
      got = { value };
      return value;
    }, a.limit);
  } catch (error) {
    if (got !== null) salvage((got as { value: T }).value);
    if (error instanceof TimeoutError) return TIMED_OUT;
    throw error;
  }
}
const TIMED_OUT: unique symbol = Symbol("timed out");

/** Runs one task per actor, with its cancellation timer; fails on a deadlock or a stray error. */
async function runActors(
  actors: Actor[],
  body: (a: Actor, kill: () => void, index: number) => Promise<void>,
) {
  const tasks: Task<void>[] = [];
  for (const [i, a] of actors.entries()) {
    const kill = () => {
      if (a.kill !== null) tasks[a.kill % tasks.length]!.cancel();
    };
    tasks.push(
      createTask(async () => {
        await sleep(a.start);
        for (let r = 0; r < a.rounds; r++) await body(a, kill, i);
      }),
    );
  }
  const loop = getRunningLoop();
  actors.forEach((a, i) => {
    if (a.cancelAt !== null) loop.callLater(a.cancelAt, () => tasks[i]!.cancel());
  });
  const outcomes = await gatherOrDeadlock(tasks);
  for (const o of outcomes) {
    if (o !== undefined) assert.ok(o instanceof CancelledError, `unexpected outcome ${String(o)}`);
  }
}

describe("cancellation properties: waitFor around acquire and get", () => {
  const LOCKS = {
    Lock: () => new Lock(),
    Semaphore: (n: number) => new Semaphore(n),
    BoundedSemaphore: (n: number) => new BoundedSemaphore(n),
  };
  for (const [kind, make] of Object.entries(LOCKS)) {
    test(`${kind}: an acquire that timed out or was cancelled holds nothing; all come back`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 3 }),
          fc.array(actor, { minLength: 1, maxLength: 7 }),
          async (n, actors) => {
            const initial = kind === "Lock" ? 1 : n;
            await runVirtual(async () => {
              const lock = make(initial);
              const free = () =>
                lock instanceof Lock ? (lock.locked() ? 0 : 1) : lock.statistics().value;
              let held = 0;
              const check = () => assert.ok(free() + held <= initial, `${lock}, ${held} held`);
              await runActors(actors, async (a, kill) => {
                const salvage = () => lock.release(); // acquired after all: give it back
                if ((await acquireAs(a, () => lock.acquire(), salvage)) === TIMED_OUT) {
                  check();
                  return;
                }
                held++;
                check();
                try {
                  await sleep(a.hold);
                } finally {
                  held--;
                  lock.release();
                  check();
                  kill();
                }
              });
              // Whatever was granted to a waiter that gave up came back.
              assert.equal(held, 0);
              assert.equal(free(), initial, `${lock} at the end`);
              assert.equal(lock.statistics().waiters, 0);
            });
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  test("Queue: a get that timed out took no item; a put that timed out put none", async () => {
    // Only the function form: `waitFor(queue.get(), t)` gives up on a get that goes on
    // (docs/queues.md), since a queue's get is an async function nothing can stop.
    const queueActor = fc.record({
      producer: fc.boolean(),
      a: actor.map((a) => ({ ...a, form: "function" as const })),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 }),
        fc.array(queueActor, { minLength: 1, maxLength: 7 }),
        async (maxsize, actors) => {
          await runVirtual(async () => {
            const q = new Queue<number>(maxsize);
            let next = 0;
            const put = new Set<number>();
            const got: number[] = [];
            // Getters without items must not wait forever: the queue shuts down at t=1000.
            const ending = getRunningLoop().callLater(1000, () => q.shutdown());
            await runActors(
              actors.map((x) => x.a),
              async (a, kill, i) => {
                try {
                  if (actors[i]!.producer) {
                    const item = next++;
                    const putIt = async () => {
                      await q.put(item);
                      return item;
                    };
                    const salvage = () => put.add(item);
                    if ((await acquireAs(a, putIt, salvage)) !== TIMED_OUT) put.add(item);
                  } else {
                    const salvage = (item: number) => got.push(item);
                    const item = await acquireAs(a, () => q.get(), salvage);
                    if (item !== TIMED_OUT) got.push(item);
                  }
                } catch (error) {
                  // A put or get that meets the shutdown at t=1000 did nothing.
                  if (!(error instanceof QueueShutDown)) throw error;
                  return;
                }
                kill();
                await sleep(a.hold);
              },
            );
            ending.cancel();
            const byValue = (items: Iterable<number>) => [...items].sort((x, y) => x - y);
            const left = Array.from({ length: q.qsize() }, () => q.getNowait());
            assert.deepEqual(byValue([...got, ...left]), byValue(put), "items lost or duplicated");
            assert.equal(q.statistics().getters + q.statistics().putters, 0, `${q}`);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
