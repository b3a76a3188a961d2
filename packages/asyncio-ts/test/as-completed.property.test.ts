// Property tests of asCompleted under cancellation. Inputs finish at random virtual instants
// (some fail, some are cancelled); consumers await the promises of plain iteration in random
// orders, some under timeouts, and are cancelled at random instants or right after another
// consumer received something (so "woken, then cancelled before it ran" happens often).
// Invariants: every completion is delivered to at most one awaiter, an awaiter that ends without
// it (cancelled, timed out) leaves it for the next one, nobody waits while a completion is
// available, no failure is reported unhandled once delivered, and no task is left behind.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  asCompleted,
  CancelledError,
  createTask,
  type ExceptionContext,
  Future,
  getRunningLoop,
  sleep,
  type Task,
  TimeoutError,
  timeout,
} from "../src/index.js";
import { gatherOrDeadlock, runVirtual } from "./helpers.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 800);

/** Integer instants, so that completions, cancellations and timeouts collide. */
const instant = fc.integer({ min: 0, max: 4 });

/** One input: a task or a bare future that succeeds, fails or is cancelled at `at`. */
const input = fc.record({
  at: instant,
  outcome: fc.constantFrom("ok" as const, "fail" as const, "cancel" as const),
  future: fc.boolean(),
  /**
   * When this input finishes, cancel this consumer from a done callback registered after
   * asCompleted's: the consumer asCompleted just woke is cancelled before it runs.
   */
  killOnDone: fc.option(fc.nat({ max: 5 }), { nil: null }),
});
type Input = typeof input extends fc.Arbitrary<infer A> ? A : never;

/** Why an input ended, as seen by whoever receives it. */
class InputFailure extends Error {
  constructor(readonly id: number) {
    super(`input ${id} failed`);
  }
}
const CANCEL_PREFIX = "input-cancelled-";

/** Makes input `i`: a task (or a future settled by a timer) that ends as planned at `at`. */
function makeInput(spec: Input, i: number): Future<number> {
  const loop = getRunningLoop();
  let future: Future<number>;
  if (spec.future) {
    future = new Future<number>();
    if (spec.outcome === "ok") loop.callLater(spec.at, () => future.setResult(i));
    else if (spec.outcome === "fail")
      loop.callLater(spec.at, () => future.setException(new InputFailure(i)));
  } else {
    future = createTask(async () => {
      await sleep(spec.outcome === "cancel" ? 100 : spec.at);
      if (spec.outcome === "fail") throw new InputFailure(i);
      return i;
    });
  }
  if (spec.outcome === "cancel")
    loop.callLater(spec.at, () => future.cancel(`${CANCEL_PREFIX}${i}`));
  return future;
}

/** The input id an awaiter received, or null if the error is not an input's outcome. */
function receivedId(error: unknown): number | null {
  if (error instanceof InputFailure) return error.id;
  if (error instanceof CancelledError && error.message.startsWith(CANCEL_PREFIX))
    return Number(error.message.slice(CANCEL_PREFIX.length));
  return null;
}

/** Collects unhandled rejections of the process while `body` runs. */
async function noUnhandledRejections(body: () => Promise<void>): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    await body();
    // Rejections are reported after a macrotask turn.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, [], "unhandled rejections");
}

/**
 * Runs `body` on a virtual clock and then 200 s more (inputs nobody awaits finish); fails on
 * unhandled rejections and on tasks left pending. Returns what the loop's exception handler got.
 */
async function runChecked(body: () => Promise<void>): Promise<ExceptionContext[]> {
  const reports: ExceptionContext[] = [];
  let leftover = -1;
  await noUnhandledRejections(() =>
    runVirtual(async () => {
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, context) => reports.push(context));
      await body();
      await sleep(200);
      leftover = loop._pendingTasks().length - 1;
    }),
  );
  assert.equal(leftover, 0, "tasks left pending");
  return reports;
}

/** A failure handed to somebody is never reported as unretrieved; one nobody got may be. */
function checkReports(reports: ExceptionContext[], inputs: Input[], received: number[]): void {
  for (const report of reports) {
    const id = receivedId(report.exception);
    assert.ok(
      id !== null && !received.includes(id) && inputs[id]!.outcome === "fail",
      `unexpected report: ${report.message} ${String(report.exception)}`,
    );
  }
}

/** asCompleted's TimeoutError (not a consumer's own timeout scope). */
function ownTimeout(error: unknown): boolean {
  return error instanceof TimeoutError && error.message === "asCompleted() timed out";
}

const consumer = fc.record({
  start: instant,
  cancelAt: fc.option(instant, { nil: null }),
  /** Each await is wrapped in timeout(limit). */
  limit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  /** Right after receiving something, cancel this other consumer (it may just have been woken). */
  kill: fc.option(fc.nat({ max: 5 }), { nil: null }),
});

describe("properties of asCompleted", () => {
  test("plain iteration: each completion goes to exactly one awaiter or stays for the next", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(input, { minLength: 1, maxLength: 6 }),
        fc.array(consumer, { minLength: 1, maxLength: 5 }),
        // For each promise: which consumer awaits it, and its rank in that consumer's order.
        fc.array(fc.record({ who: fc.nat(), rank: fc.nat() }), { minLength: 6, maxLength: 6 }),
        // asCompleted's own timeout; half-integers never tie with a completion.
        fc.option(
          fc.integer({ min: 0, max: 4 }).map((k) => k + 0.5),
          { nil: null },
        ),
        async (inputs, consumers, assignment, deadline) => {
          const delivered: number[] = [];
          const inTime = new Set<number>();
          let timedOut = false; // some await got asCompleted's TimeoutError
          const reports = await runChecked(async () => {
            const loop = getRunningLoop();
            const futures = inputs.map(makeInput);
            futures.forEach((f, id) => {
              f.addDoneCallback(() => {
                if (deadline === null || loop.time() < deadline) inTime.add(id);
              });
            });
            const iterator = asCompleted(futures, { timeout: deadline });
            const promises = [...iterator];
            // Between the instants (all events land on integers), nobody may wait while a
            // completion is there to take: a wake-up lost to a cancelled waiter shows here.
            const inside = iterator as unknown as {
              finished: { length: number };
              waiters: Iterable<Future<void>>;
            };
            const stalls: string[] = [];
            for (let t = 0.5; t < 6; t++) {
              loop.callLater(t, () => {
                const waiting = [...inside.waiters].filter((w) => !w.done()).length;
                if (waiting > 0 && inside.finished.length > 0)
                  stalls.push(`t=${t}: ${waiting} waiting, ${inside.finished.length} there`);
              });
            }
            assert.equal(promises.length, inputs.length);
            const queues: number[][] = consumers.map(() => []);
            promises
              .map((_, p) => ({ p, ...assignment[p]! }))
              .sort((a, b) => a.rank - b.rank || a.p - b.p)
              .forEach(({ p, who }) => {
                queues[who % consumers.length]!.push(p);
              });
            /** Which promises were awaited, and how many awaits ended without a completion. */
            const awaited = promises.map(() => false);
            let unreceived = 0;
            const tasks: Task<void>[] = [];
            consumers.forEach((c, k) => {
              const receive = (id: number) => {
                assert.ok(futures[id]!.done(), `input ${id} delivered before it finished`);
                delivered.push(id);
                if (c.kill !== null) tasks[c.kill % tasks.length]!.cancel("consumer");
              };
              tasks.push(
                createTask(async () => {
                  await sleep(c.start);
                  for (const p of queues[k]!) {
                    awaited[p] = true;
                    try {
                      const id =
                        c.limit === null
                          ? await promises[p]!
                          : await timeout(c.limit, () => promises[p]!);
                      receive(id);
                    } catch (error) {
                      const id = receivedId(error);
                      if (id !== null) receive(id);
                      else {
                        unreceived++;
                        if (ownTimeout(error)) timedOut = true;
                        if (!(error instanceof TimeoutError)) throw error;
                      }
                    }
                  }
                }),
              );
              if (c.cancelAt !== null)
                loop.callLater(c.cancelAt, () => tasks[k]!.cancel("consumer"));
            });
            inputs.forEach((spec, i) => {
              const victim = spec.killOnDone;
              if (victim !== null)
                futures[i]!.addDoneCallback(() => tasks[victim % tasks.length]!.cancel("consumer"));
            });
            // A lost wake-up shows as a consumer waiting forever.
            const outcomes = await gatherOrDeadlock(tasks);
            for (const o of outcomes) {
              // Only cancellations end a consumer (a timeout's own CancelledError when a
              // cancel("consumer") came too: then the scope lets the cancellation through).
              if (o !== undefined) assert.ok(o instanceof CancelledError, String(o));
            }
            // The promises of consumers cancelled before they awaited them get what is left:
            // the completions no awaiter received are still there, none waits in vain.
            // A completion lost on the way shows as a drain waiting forever (a deadlock).
            const rest = promises.filter((_, p) => !awaited[p]);
            const drain = createTask(async () => {
              for (const p of rest) {
                const id = await p.then(
                  (value) => value,
                  (error: unknown) => {
                    if (!ownTimeout(error)) return receivedId(error);
                    timedOut = true;
                    unreceived++;
                    return undefined;
                  },
                );
                assert.notEqual(id, null);
                if (id !== undefined) delivered.push(id!);
              }
            });
            const [drained] = await gatherOrDeadlock([drain]);
            if (drained !== undefined) throw drained;
            assert.deepEqual(stalls, [], "awaiters left waiting beside a completion");
            // Every promise ended: each completion went to one awaiter, or stays behind an await
            // that ended without one (asyncio leaves it in the queue of done futures the same way).
            const sorted = [...delivered].sort((a, b) => a - b);
            assert.equal(new Set(sorted).size, sorted.length, `delivered twice: ${sorted}`);
            assert.equal(
              delivered.length + unreceived,
              inputs.length,
              `completions lost: delivered ${sorted}, ${unreceived} awaits ended without one, ${rest.length} drained`,
            );
          });
          checkReports(reports, inputs, delivered);
          // Only what finished before the deadline is handed out; once an await timed out,
          // nothing was left behind: it found no completion to take.
          for (const id of delivered)
            assert.ok(inTime.has(id), `${id} finished after the deadline`);
          if (timedOut) {
            const sort = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
            assert.deepEqual(sort(delivered), sort(inTime), "timed out with completions left");
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("for await with a random break, timeout and cancellation: a prefix of the completion order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(input, { minLength: 1, maxLength: 6 }),
        fc.record({
          // Half-integer deadlines never tie with a completion, so the expected set is exact.
          timeout: fc.option(
            fc.integer({ min: 0, max: 4 }).map((k) => k + 0.5),
            { nil: null },
          ),
          breakAfter: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
          pause: fc.integer({ min: 0, max: 3 }),
          cancelAt: fc.option(instant, { nil: null }),
        }),
        async (inputs, plan) => {
          const yielded: number[] = [];
          const finishedOrder: { id: number; at: number }[] = [];
          let outcome: unknown = "none";
          const reports = await runChecked(async () => {
            const loop = getRunningLoop();
            const futures = inputs.map(makeInput);
            // Registered before asCompleted's own callbacks, so they run in the same order.
            futures.forEach((f, id) => {
              f.addDoneCallback(() => finishedOrder.push({ id, at: loop.time() }));
            });
            const consumer = createTask(async () => {
              for await (const yieldedValue of asCompleted(futures, { timeout: plan.timeout })) {
                // TypeScript types a `for await` value as awaited; at run time it is the input.
                const f = yieldedValue as unknown as Future<number>;
                const id = futures.indexOf(f);
                assert.ok(id >= 0 && f.done(), `yielded ${String(f)}`);
                if (!f.cancelled()) f.exception(); // observed: not reported as unretrieved
                yielded.push(id);
                await sleep(plan.pause);
                if (yielded.length === plan.breakAfter) break;
              }
            });
            inputs.forEach((spec, i) => {
              if (spec.killOnDone !== null) futures[i]!.addDoneCallback(() => consumer.cancel());
            });
            if (plan.cancelAt !== null) loop.callLater(plan.cancelAt, () => consumer.cancel());
            outcome = await consumer.then(
              () => "done",
              (error: unknown) => error,
            );
          });
          const order = finishedOrder.map((f) => f.id);
          assert.deepEqual(yielded, order.slice(0, yielded.length), "not in completion order");
          if (plan.timeout !== null) {
            // Nothing that finished after the deadline is handed out (asyncio drops them).
            const late = finishedOrder.filter((f) => f.at > plan.timeout!).map((f) => f.id);
            assert.ok(!yielded.some((id) => late.includes(id)), `late ones yielded: ${late}`);
          }
          if (outcome === "done") {
            const expected = plan.breakAfter === null ? inputs.length : plan.breakAfter;
            assert.equal(yielded.length, Math.min(expected, inputs.length), "ended early");
          } else if (outcome instanceof TimeoutError) {
            const inTime = finishedOrder.filter((f) => f.at < plan.timeout!).map((f) => f.id);
            assert.ok(inTime.length < inputs.length, "timed out after every input finished");
            assert.deepEqual(yielded, inTime, "the inputs done before the deadline, all of them");
          } else {
            assert.ok(outcome instanceof CancelledError, `consumer ended with ${String(outcome)}`);
          }
          checkReports(reports, inputs, yielded);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
