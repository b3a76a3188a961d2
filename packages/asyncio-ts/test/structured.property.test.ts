// Cancellation properties of Barrier and TaskGroup, which sync-properties and
// cancellation.property do not reach: barrier waiters cancelled, timed out, aborted and reset at
// random instants; task groups whose children are cancelled at random points while a sibling
// fails. Invariants: no waiter stranded while the barrier could let it go, the barrier's lock
// free and its count right once things settle; a group ends only once every child is done, with
// exactly the failures that happened, and every child's cleanup runs once.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  Barrier,
  BrokenBarrierError,
  CancelledError,
  Condition,
  createTask,
  ExceptionGroup,
  getRunningLoop,
  sleep,
  type Task,
  TimeoutError,
  taskGroup,
  timeout,
} from "../src/index.js";
import { gatherOrDeadlock, runVirtual } from "./helpers.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
const delay = fc.integer({ min: 0, max: 4 });

describe("cancellation properties: Barrier, TaskGroup and Condition", () => {
  test("Barrier: nobody stranded, the count right and the lock free once things settle", async () => {
    const party = fc.record({
      start: delay,
      rounds: fc.integer({ min: 1, max: 3 }),
      limit: fc.option(delay, { nil: null }),
      cancelAt: fc.option(delay, { nil: null }),
      /** After passing, cancel this other party (it may just have been released). */
      kill: fc.option(fc.nat({ max: 7 }), { nil: null }),
    });
    const control = fc.record({
      at: delay,
      op: fc.constantFrom("abort" as const, "reset" as const),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(party, { minLength: 1, maxLength: 7 }),
        fc.array(control, { maxLength: 2 }),
        async (parties, members, controls) => {
          await runVirtual(async () => {
            const loop = getRunningLoop();
            const barrier = new Barrier(parties);
            let inside = 0; // tasks between entering and leaving wait()
            const tasks: Task<void>[] = [];
            for (const m of members) {
              const kill = () => {
                if (m.kill !== null) tasks[m.kill % tasks.length]!.cancel();
              };
              const once = async () => {
                inside++;
                try {
                  const index = await barrier.wait();
                  assert.ok(index >= 0 && index < parties, `index ${index}`);
                  kill();
                } finally {
                  inside--;
                }
              };
              tasks.push(
                createTask(async () => {
                  await sleep(m.start);
                  for (let r = 0; r < m.rounds; r++) {
                    try {
                      if (m.limit === null) await once();
                      else await timeout(m.limit, once);
                    } catch (error) {
                      if (!(error instanceof BrokenBarrierError || error instanceof TimeoutError))
                        throw error;
                      await sleep(1); // a broken barrier: try again later (a reset may fix it)
                    }
                  }
                }),
              );
            }
            members.forEach((m, i) => {
              if (m.cancelAt !== null) loop.callLater(m.cancelAt, () => tasks[i]!.cancel());
            });
            for (const { at, op } of controls) {
              loop.callLater(at, () => void (op === "abort" ? barrier.abort() : barrier.reset()));
            }
            // Long after the last event: settled. Whoever still waits could not have passed.
            await sleep(100);
            const s = barrier.statistics();
            assert.ok(s.state === "filling" || s.state === "broken", `${barrier} did not settle`);
            if (s.state === "filling") {
              assert.equal(s.nWaiting, inside, `${barrier} with ${inside} tasks inside wait()`);
              assert.ok(s.nWaiting < parties, `${barrier}: enough waiting, nobody released`);
            } else {
              assert.equal(inside, 0, `${inside} tasks inside a broken barrier`);
            }
            // Let the stragglers go; every party ends, cancelled or done.
            await barrier.abort();
            const outcomes = await gatherOrDeadlock(tasks);
            for (const o of outcomes) {
              if (o !== undefined) assert.ok(o instanceof CancelledError, `outcome ${String(o)}`);
            }
            assert.equal(inside, 0);
            await barrier.reset();
            assert.deepEqual(barrier.statistics(), { state: "filling", parties, nWaiting: 0 });
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("TaskGroup: ends after every child, with exactly the failures that happened", async () => {
    const child = fc.record({
      at: delay,
      fails: fc.boolean(),
      /** Cancel this child from outside at this instant. */
      cancelAt: fc.option(delay, { nil: null }),
      /** The child catches its CancelledError once, sleeps, and then re-throws it. */
      lingers: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(child, { minLength: 1, maxLength: 6 }),
        fc.option(delay, { nil: null }),
        async (children, parentCancelAt) => {
          await runVirtual(async () => {
            const loop = getRunningLoop();
            const failed: Error[] = [];
            let started = 0;
            let cleaned = 0;
            let running = 0;
            const parent = createTask(() =>
              taskGroup(async (tg) => {
                children.forEach((c, i) => {
                  const t = tg.createTask(async () => {
                    started++;
                    running++;
                    try {
                      try {
                        await sleep(c.at);
                      } catch (error) {
                        if (!c.lingers || !(error instanceof CancelledError)) throw error;
                        await sleep(1).catch(() => {});
                        throw error;
                      }
                      if (c.fails) {
                        const error = new Error(`child ${i} failed`);
                        failed.push(error);
                        throw error;
                      }
                    } finally {
                      running--;
                      cleaned++;
                    }
                  });
                  if (c.cancelAt !== null) loop.callLater(c.cancelAt, () => t.cancel());
                });
              }),
            );
            if (parentCancelAt !== null) loop.callLater(parentCancelAt, () => parent.cancel());
            const outcome = await parent.then(
              () => "done",
              (error: unknown) => error,
            );
            // The group ended only once every child was done.
            assert.equal(running, 0, "a child still running after the group ended");
            assert.equal(cleaned, started, "a cleanup did not run");
            if (failed.length > 0) {
              assert.ok(outcome instanceof ExceptionGroup, `outcome ${String(outcome)}`);
              assert.deepEqual(
                new Set(outcome.exceptions),
                new Set(failed),
                "the group's errors are exactly the failures",
              );
            } else {
              assert.ok(
                outcome === "done" || outcome instanceof CancelledError,
                `outcome ${String(outcome)}`,
              );
              if (outcome instanceof CancelledError) assert.notEqual(parentCancelAt, null);
            }
            await sleep(50);
            assert.equal(loop._pendingTasks().length, 1, "tasks left pending");
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
  test("Condition: a waiter notified and cancelled before it runs passes the notification on", async () => {
    const consumer = fc.record({
      start: delay,
      rounds: fc.integer({ min: 1, max: 3 }),
      limit: fc.option(delay, { nil: null }),
      cancelAt: fc.option(delay, { nil: null }),
    });
    // Right after notify(n), still holding the lock, cancel the first `kills` waiters in line:
    // those were just notified, and are cancelled before they run.
    const producer = fc.record({
      at: delay,
      items: fc.integer({ min: 1, max: 3 }),
      all: fc.boolean(),
      kills: fc.integer({ min: 0, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(consumer, { minLength: 1, maxLength: 6 }),
        fc.array(producer, { minLength: 1, maxLength: 4 }),
        async (consumers, producers) => {
          await runVirtual(async () => {
            const loop = getRunningLoop();
            const cond = new Condition();
            let items = 0;
            let produced = 0;
            let taken = 0;
            /** Consumers inside cond.wait(), in the order they started waiting (notify's order). */
            const inLine: Task<void>[] = [];
            const leaveLine = (task: Task<void>) => {
              const at = inLine.indexOf(task);
              if (at >= 0) inLine.splice(at, 1);
            };
            const tasks: Task<void>[] = consumers.map((c, i) =>
              createTask(async () => {
                await sleep(c.start);
                const me = tasks[i]!;
                for (let r = 0; r < c.rounds; r++) {
                  const take = async () => {
                    await using _ = await cond.hold();
                    try {
                      await cond.waitFor(() => {
                        leaveLine(me);
                        if (items === 0) inLine.push(me);
                        return items > 0;
                      });
                    } finally {
                      leaveLine(me);
                    }
                    items--;
                    taken++;
                  };
                  try {
                    if (c.limit === null) await take();
                    else await timeout(c.limit, take);
                  } catch (error) {
                    if (!(error instanceof TimeoutError)) throw error;
                  }
                }
              }),
            );
            consumers.forEach((c, i) => {
              if (c.cancelAt !== null) loop.callLater(c.cancelAt, () => tasks[i]!.cancel());
            });
            const producing = producers.map((p) =>
              createTask(async () => {
                await sleep(p.at);
                await using _ = await cond.hold();
                items += p.items;
                produced += p.items;
                if (p.all) cond.notifyAll();
                else cond.notify(p.items);
                for (const t of inLine.slice(0, p.kills)) t.cancel();
              }),
            );
            // Between the instants (events land on integers) and long after the last one,
            // nobody sleeps while an item it could take is there: a notification lost to a
            // cancelled waiter shows at once, even if a later notify would rescue it.
            const stalls: string[] = [];
            const check = (t: number) => {
              const waiting = cond.statistics().waiters;
              if (waiting > 0 && items > 0)
                stalls.push(`t=${t}: ${waiting} waiting, ${items} items`);
            };
            for (let t = 0.5; t < 6; t++) loop.callLater(t, () => check(t));
            await gatherOrDeadlock(producing);
            await sleep(100);
            check(loop.time());
            assert.deepEqual(stalls, [], "waiters asleep beside items");
            assert.equal(taken + items, produced);
            assert.equal(cond.locked(), false, "the lock is stranded");
            for (const t of tasks) t.cancel();
            const outcomes = await gatherOrDeadlock(tasks);
            for (const o of outcomes) {
              if (o !== undefined) assert.ok(o instanceof CancelledError, `outcome ${String(o)}`);
            }
            assert.deepEqual(cond.statistics().lock, { locked: false, waiters: 0 });
            assert.equal(cond.statistics().waiters, 0);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
