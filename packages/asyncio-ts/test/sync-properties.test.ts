// Property tests: thousands of random schedules of Lock, Semaphore, BoundedSemaphore and
// Condition users, with random cancellations and timeouts landing at the same virtual instants
// as releases and notifications (so "woken, then cancelled before running" happens often).
// After every step and at the end, the invariants must hold: no permit leaked or granted twice,
// the lock held by at most one task, no notification lost.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  BoundedSemaphore,
  CancelledError,
  Condition,
  createTask,
  gather,
  getRunningLoop,
  Lock,
  Semaphore,
  sleep,
  type Task,
  TimeoutError,
  timeout,
} from "../src/index.js";
import { runVirtual } from "./helpers.js";

/** Small integer delays (and 0) so that events collide at the same virtual time. */
const delay = fc.integer({ min: 0, max: 4 });

/** One task of a schedule: when it starts, how long it holds, when it is cancelled or times out. */
const actor = fc.record({
  start: delay,
  hold: delay,
  rounds: fc.integer({ min: 1, max: 3 }),
  cancelAt: fc.option(delay, { nil: null }),
  timeout: fc.option(delay, { nil: null }),
  /** Right after releasing, cancel this other actor: it may just have been woken. */
  kill: fc.option(fc.nat({ max: 7 }), { nil: null }),
});
type Actor = typeof actor extends fc.Arbitrary<infer A> ? A : never;

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1500);

/**
 * Runs `body` for each actor as a task (with its timeout and cancellation); returns the
 * outcomes. `body` calls `released()` right after it released: that cancels the actor's `kill`
 * victim synchronously, the "woken, then cancelled before it runs" race.
 */
async function runActors(
  actors: Actor[],
  body: (a: Actor, released: () => void) => Promise<void>,
): Promise<unknown[]> {
  const tasks: Task<void>[] = [];
  for (const a of actors) {
    const released = () => {
      if (a.kill !== null) tasks[a.kill % tasks.length]!.cancel();
    };
    tasks.push(
      createTask(async () => {
        await sleep(a.start);
        for (let r = 0; r < a.rounds; r++) {
          if (a.timeout === null) await body(a, released);
          else await timeout(a.timeout, () => body(a, released));
        }
      }),
    );
  }
  const loop = getRunningLoop();
  actors.forEach((a, i) => {
    if (a.cancelAt !== null) loop.callLater(a.cancelAt, () => tasks[i]!.cancel());
  });
  // A leaked permit or a lost wake-up shows as a deadlock: the virtual clock then jumps to this
  // deadline, and the property fails with the schedule as its counterexample.
  const outcomes = await timeout(10_000, () => gather(tasks, { returnExceptions: true })).catch(
    (error: unknown) => {
      if (error instanceof TimeoutError) assert.fail("deadlock: tasks still waiting at t=10000");
      throw error;
    },
  );
  for (const outcome of outcomes) {
    // Anything but success, a cancellation or a timeout is a bug (RangeError: over-release...).
    if (outcome !== undefined && !(outcome instanceof CancelledError)) {
      assert.ok(outcome instanceof TimeoutError, `unexpected outcome ${String(outcome)}`);
    }
  }
  return outcomes;
}

describe("properties of the locks and semaphores", () => {
  for (const kind of ["Semaphore", "BoundedSemaphore"] as const) {
    test(`${kind}: value + permits held never exceeds the initial value; all come back`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 3 }),
          fc.array(actor, { minLength: 1, maxLength: 8 }),
          async (initial, actors) => {
            await runVirtual(async () => {
              const sem =
                kind === "Semaphore" ? new Semaphore(initial) : new BoundedSemaphore(initial);
              let held = 0;
              const check = () => {
                assert.ok(held <= initial, `held ${held} > ${initial}`);
                assert.ok(sem.statistics().value + held <= initial, `${sem} with ${held} held`);
              };
              await runActors(actors, async (a, released) => {
                await sem.acquire();
                held++;
                check();
                try {
                  await sleep(a.hold);
                } finally {
                  held--;
                  sem.release();
                  check();
                  released();
                }
              });
              assert.equal(held, 0);
              assert.deepEqual(sem.statistics(), { value: initial, waiters: 0 });
            });
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  test("Lock: held by at most one task; free with no waiter at the end", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actor, { minLength: 1, maxLength: 8 }), async (actors) => {
        await runVirtual(async () => {
          const lock = new Lock();
          let holders = 0;
          await runActors(actors, async (a, released) => {
            const held = await lock.hold();
            holders++;
            assert.equal(holders, 1, "two tasks hold the lock");
            assert.equal(lock.locked(), true);
            try {
              await sleep(a.hold);
            } finally {
              holders--;
              held.release();
              released();
            }
          });
          assert.deepEqual(lock.statistics(), { locked: false, waiters: 0 });
        });
      }),
      { numRuns: RUNS },
    );
  });

  test("Condition: no task sleeps while an item it could take is available (no lost notify)", async () => {
    const producer = fc.record({ at: delay, items: fc.integer({ min: 1, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(actor, { minLength: 1, maxLength: 6 }),
        fc.array(producer, { minLength: 1, maxLength: 4 }),
        async (consumers, producers) => {
          await runVirtual(async () => {
            const cond = new Condition();
            let items = 0;
            let taken = 0;
            let produced = 0;
            const consuming = runActors(consumers, async (_a, released) => {
              const held = await cond.hold();
              try {
                await cond.waitFor(() => items > 0);
                items--;
                taken++;
              } finally {
                held.release();
                released();
              }
            });
            await gather(
              producers.map((p) => async () => {
                await sleep(p.at);
                await using _ = await cond.hold();
                items += p.items;
                produced += p.items;
                cond.notify(p.items);
              }),
            );
            // Long after the last event, everybody who can take an item has taken one.
            await sleep(100);
            const waiting = cond.statistics().waiters;
            assert.ok(waiting === 0 || items === 0, `${waiting} waiting with ${items} items`);
            assert.equal(taken + items, produced);
            assert.equal(cond.locked(), false);
            // Finish the consumers still waiting for items that will never come.
            await cond.acquire();
            items += consumers.length * 3;
            cond.notifyAll();
            cond.release();
            await consuming;
            assert.equal(cond.statistics().waiters, 0);
          });
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
