/**
 * The pool's bookkeeping under random interleavings of submit, cancel, completion and crash,
 * on fake workers (no threads): nothing lost, nothing run twice, a cancelled call never starts,
 * never more than maxWorkers busy, and every call settles exactly once with the right outcome.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { PoolExecutor } from "../src/executors/pool-executor.js";
import type { WorkerEvents, WorkerHandle } from "../src/executors/worker-handle.js";
import type { CallMessage } from "../src/executors/worker-protocol.js";
import { BrokenExecutorError, CancelledError, type Future, run } from "../src/index.js";

interface FakeWorker {
  events: WorkerEvents;
  running: CallMessage | undefined;
  dead: boolean;
}

class FakePool extends PoolExecutor {
  readonly workers: FakeWorker[] = [];
  /** Every call id ever sent to a worker. */
  readonly sent = new Set<number>();
  /** When set, starting a worker throws (like `new Worker` failing for lack of resources). */
  failStarts = false;
  /** Whether the call for `value` was cancelled (set by the test). */
  isCancelled: (value: number) => boolean = () => false;

  constructor(maxWorkers: number) {
    super(
      {
        name: "FakePool",
        defaultWorkers: 1,
        start: (events) => {
          if (this.failStarts) throw new Error("out of threads");
          const fake: FakeWorker = { events, running: undefined, dead: false };
          this.workers.push(fake);
          const handle: WorkerHandle = {
            send: (msg) => {
              assert.ok(!fake.dead, "a call was sent to a stopped worker");
              assert.equal(fake.running, undefined, "a worker was sent a second call while busy");
              assert.ok(!this.sent.has(msg.id), `call ${msg.id} was sent twice`);
              assert.ok(!this.isCancelled(msg.args[0] as number), "a cancelled call was started");
              this.sent.add(msg.id);
              fake.running = msg;
            },
            ref: () => {},
            unref: () => {},
            terminate: async () => {
              fake.dead = true;
              fake.running = undefined;
            },
          };
          return handle;
        },
      },
      { maxWorkers },
    );
  }

  busy(): FakeWorker[] {
    return this.workers.filter((w) => !w.dead && w.running !== undefined);
  }
}

type Command =
  | { kind: "submit" }
  | { kind: "cancel"; pick: number }
  | { kind: "complete"; pick: number }
  | { kind: "crash"; pick: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant<Command>({ kind: "submit" }),
  fc.nat().map<Command>((pick) => ({ kind: "cancel", pick })),
  fc.nat().map<Command>((pick) => ({ kind: "complete", pick })),
  fc.nat().map<Command>((pick) => ({ kind: "crash", pick })),
);

test("random submit/cancel/complete/crash sequences keep the pool's promises", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.array(command, { maxLength: 60 }),
      async (max, commands) => {
        await run(async () => {
          const pool = new FakePool(max);
          const futures: Future<number>[] = [];
          const crashed = new Set<number>();
          pool.isCancelled = (value) => futures[value]?.cancelled() ?? false;
          const identity = (x: number) => x;
          for (const c of commands) {
            if (c.kind === "submit") {
              futures.push(pool.submit(identity, futures.length));
            } else if (c.kind === "cancel" && futures.length > 0) {
              const value = c.pick % futures.length;
              const runner = pool.busy().find((w) => w.running?.args[0] === value);
              futures[value]!.cancel();
              if (runner)
                assert.ok(runner.dead, "cancelling a running call stops its worker at once");
            } else {
              const busy = pool.busy();
              if (busy.length === 0) continue;
              const worker = busy[c.pick % busy.length]!;
              const msg = worker.running!;
              if (c.kind === "complete") {
                worker.running = undefined;
                worker.events.message({ id: msg.id, ok: true, value: msg.args[0] });
              } else {
                worker.dead = true;
                worker.running = undefined;
                crashed.add(msg.args[0] as number);
                worker.events.exit(1, new Error("boom"));
              }
            }
            const s = pool.statistics();
            assert.ok(
              pool.busy().length <= max && s.running <= max && s.workers <= max,
              String(pool),
            );
            assert.equal(
              s.running,
              pool.busy().length,
              "the pool's running count matches the workers",
            );
          }
          // Drain: complete every running call until nothing is left.
          for (let busy = pool.busy(); busy.length > 0; busy = pool.busy()) {
            for (const worker of busy) {
              const msg = worker.running!;
              worker.running = undefined;
              worker.events.message({ id: msg.id, ok: true, value: msg.args[0] });
            }
          }
          assert.equal(pool.statistics().queued, 0, "nothing is left in the queue");
          for (const [value, future] of futures.entries()) {
            assert.ok(future.done(), `call ${value} was lost`);
            if (future.cancelled()) {
              assert.throws(() => future.result(), CancelledError);
            } else if (crashed.has(value)) {
              assert.ok(future.exception() instanceof BrokenExecutorError);
            } else {
              assert.equal(future.result(), value);
            }
          }
          await pool.shutdown();
          assert.equal(pool.statistics().state, "shut-down");
        });
      },
    ),
    { numRuns: 200 },
  );
});

test("when no worker can start, queued calls fail with BrokenExecutorError instead of hanging", async () => {
  await run(async () => {
    const pool = new FakePool(1);
    const first = pool.submit((x: number) => x, 1);
    const queued = [pool.submit((x: number) => x, 2), pool.submit((x: number) => x, 3)];
    pool.failStarts = true;
    pool.workers[0]!.dead = true;
    pool.workers[0]!.events.exit(1, undefined); // the only worker dies; no replacement can start
    await assert.rejects(first, BrokenExecutorError);
    for (const f of queued) await assert.rejects(f, /cannot start a worker: Error: out of threads/);
    assert.equal(pool.statistics().queued, 0);
    await pool.shutdown();
  });
});
