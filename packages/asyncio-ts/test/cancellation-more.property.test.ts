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
  KeyedRateLimiter,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  QueueShutDown,
  RateLimiter,
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
 * Actors of the queues and rate limiters use only the function form: `waitFor(queue.get(), t)`
 * gives up on a get that goes on (docs/queues.md), since their waits are async functions that
 * nothing outside can stop; only Lock and Semaphore promises carry their waiter.
 */
const functionForm = actor.map((a) => ({ ...a, form: "function" as const }));

/**
 * Awaits `acquire()` as `a` says: plainly, or in waitFor in either form. Resolves with what it
 * acquired, or TIMED_OUT if waitFor timed out without it. The promise form cannot stop an
 * acquire that already happened (see below), so `salvage` gets what such a failed waitFor took.
 * The function form runs in the caller's task, as asyncio 3.12+ awaits a coroutine inline:
 * what the function got, it returns, so a waitFor that failed must have got nothing. (It used to
 * run in a task of its own, which could finish in the turn of the deadline or of a cancel and
 * be cancelled with the acquire's result in hand.)
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
    assert.equal(got, null, "waitFor(() => acquire(), t) failed after the function got it");
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

describe("cancellation properties: waitFor around acquires and gets, rate limiters, queue shutdown", () => {
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

  test("RateLimiter and KeyedRateLimiter: a cancelled or timed-out acquire consumes nothing, blocks nobody", async () => {
    const limiterActor = fc.record({
      a: functionForm,
      weight: fc.integer({ min: 1, max: 3 }),
      key: fc.constantFrom("x", "y"),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.array(limiterActor, { minLength: 1, maxLength: 7 }),
        async (burst, keyed, actors) => {
          await runVirtual(async () => {
            const loop = getRunningLoop();
            const options = { rate: 1, per: 1, burst };
            const single = new RateLimiter(options);
            const byKey = new KeyedRateLimiter(options);
            const stats = (key: string) => (keyed ? byKey.statisticsFor(key) : single.statistics());
            /** Every acquire that returned (or whose task finished it): when, how much. */
            const admitted: { at: number; weight: number; key: string }[] = [];
            await runActors(
              actors.map((x) => x.a),
              async (a, kill, i) => {
                const { weight, key } = actors[i]!;
                const w = Math.min(weight, burst);
                const acquire = () =>
                  keyed ? byKey.acquire(keyed ? key : "x", w) : single.acquire(w);
                const record = () => admitted.push({ at: loop.time(), weight: w, key });
                if ((await acquireAs(a, acquire, record)) !== TIMED_OUT) record();
                kill();
                await sleep(a.hold);
              },
            );
            // Replay the admissions with the limiter's rule (GCRA): each conformed when it was
            // made, and what is left now is what the limiter reports, so nothing else took any.
            const now = loop.time();
            for (const key of keyed ? ["x", "y"] : ["x"]) {
              let tat = Number.NEGATIVE_INFINITY;
              let total = 0;
              for (const { at, weight } of admitted.filter((x) => !keyed || x.key === key)) {
                tat = Math.max(tat, at) + weight;
                assert.ok(tat - at <= burst + 1e-9, `admitted over the rate at ${at}`);
                total += weight;
              }
              const s = stats(key);
              assert.equal(s.waiters, 0);
              if (keyed && total === 0) continue; // a bucket never used may be gone
              assert.equal(s.admitted, total, `admitted ${s.admitted}, returned ${total}`);
              const available = Math.max(0, burst - Math.max(0, tat - now));
              assert.ok(Math.abs(s.available - available) < 1e-6, `${s.available} vs ${available}`);
            }
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
  for (const kind of ["Queue", "LifoQueue", "PriorityQueue"] as const) {
    test(`${kind}: a get or put that timed out or was cancelled, or met shutdown(immediate), loses nothing`, async () => {
      const queueActor = fc.record({ producer: fc.boolean(), a: functionForm });
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 2 }),
          fc.array(queueActor, { minLength: 1, maxLength: 7 }),
          // At t=1000 the shutdown only ends getters waiting for items nobody puts.
          fc.record({ at: fc.oneof(delay, fc.constant(1000)), immediate: fc.boolean() }),
          async (maxsize, actors, shutdown) => {
            await runVirtual(async () => {
              const q =
                kind === "Queue"
                  ? new Queue<number>(maxsize)
                  : kind === "LifoQueue"
                    ? new LifoQueue<number>(maxsize)
                    : new PriorityQueue<number>(maxsize);
              let next = 0;
              const put = new Set<number>();
              const got = new Set<number>();
              const dropped = new Set<number>();
              getRunningLoop().callLater(shutdown.at, () => {
                // What shutdown(immediate) drops: everything put and not yet got.
                if (shutdown.immediate)
                  for (const item of put) if (!got.has(item)) dropped.add(item);
                q.shutdown(shutdown.immediate);
              });
              const take = (item: number) => {
                assert.ok(!got.has(item) && !dropped.has(item), `${item} got twice or dropped`);
                got.add(item);
              };
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
                      const record = () => put.add(item);
                      if ((await acquireAs(a, putIt, record)) !== TIMED_OUT) record();
                    } else {
                      const item = await acquireAs(a, () => q.get(), take);
                      if (item !== TIMED_OUT) take(item);
                    }
                  } catch (error) {
                    if (!(error instanceof QueueShutDown)) throw error;
                    return;
                  }
                  kill();
                  await sleep(a.hold);
                },
              );
              const left = new Set(Array.from({ length: q.qsize() }, () => q.getNowait()));
              for (const item of put) {
                const places = [got, dropped, left].filter((set) => set.has(item)).length;
                assert.equal(places, 1, `item ${item} got, dropped or left ${places} times`);
              }
              assert.equal(got.size + dropped.size + left.size, put.size, "items from nowhere");
              const s = q.statistics();
              assert.deepEqual([s.getters, s.putters], [0, 0], `${q}`);
              assert.equal(s.unfinishedTasks, put.size - dropped.size);
            });
          },
        ),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    });
  }
});
