// RateLimiter and KeyedRateLimiter on the virtual clock: exact acquisition times, FIFO,
// cancellation that consumes nothing, bounded memory, and a fast-check model check.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  CancelledError,
  createTask,
  gather,
  getRunningLoop,
  KeyedRateLimiter,
  RateLimiter,
  sleep,
  type Task,
  TimeoutError,
  waitFor,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

const now = () => getRunningLoop().time();

describe("RateLimiter", () => {
  test("bad options and weights are RangeErrors naming what arrived", async () => {
    assert.throws(() => new RateLimiter({ rate: 0 }), {
      name: "RangeError",
      message: "RateLimiter() expected rate to be a finite number > 0, got the number 0",
    });
    assert.throws(() => new RateLimiter({ rate: 1, per: -1 }), /per to be a finite number > 0/);
    assert.throws(() => new RateLimiter({ rate: 1, burst: Number.NaN }), RangeError);
    assert.throws(() => new RateLimiter(null as never), TypeError);
    // rate and per valid alone, but one unit every Infinity (or 0) seconds: the limiter
    // admitted every request at once.
    assert.throws(() => new RateLimiter({ rate: 1e-320 }), {
      name: "RangeError",
      message:
        "RateLimiter() expected rate / per to give a finite time per unit, got rate 1e-320 per 1 s",
    });
    assert.throws(() => new RateLimiter({ rate: 1e300, per: 1e-300 }), RangeError);
    assert.throws(() => new KeyedRateLimiter({ rate: 1, per: 1e300, burst: 1e300 }), RangeError);
    const limiter = new RateLimiter({ rate: 10, burst: 3 });
    assert.throws(() => limiter.tryAcquire(4), {
      name: "RangeError",
      message:
        "RateLimiter.tryAcquire() weight 4 is larger than the burst 3: it could never be admitted",
    });
    await assert.rejects(limiter.acquire(0), RangeError);
    await assert.rejects(limiter.acquire(-1), RangeError);
  });

  test("the burst passes at once, then one every per/rate seconds", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 4, per: 1, burst: 2 });
      const times: number[] = [];
      await gather(
        Array.from({ length: 6 }, () => async () => {
          await limiter.acquire();
          times.push(now());
        }),
      );
      assert.deepEqual(times, [0, 0, 0.25, 0.5, 0.75, 1]);
      assert.equal(limiter.statistics().admitted, 6);
    });
  });

  test("the default burst is the rate (aiolimiter's bucket of rate units)", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 3 });
      assert.equal(limiter.burst, 3);
      assert.equal(limiter.per, 1);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        await limiter.acquire();
        times.push(Math.round(now() * 1000) / 1000);
      }
      assert.deepEqual(times, [0, 0, 0, 0.333, 0.667]);
    });
  });

  test("weights: a heavy request waits for its units; FIFO keeps a light one behind it", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 2, per: 1, burst: 4 });
      const log = new EventLog();
      await limiter.acquire(4); // empties the bucket at t=0
      const heavy = createTask(async () => {
        await limiter.acquire(3);
        log.at("heavy");
      });
      await sleep(0);
      const light = createTask(async () => {
        await limiter.acquire(1);
        log.at("light");
      });
      await gather([heavy, light]);
      assert.deepEqual(log.entries, ["1.5: heavy", "2: light"]);
    });
  });

  test("tryAcquire takes units only if possible now and never barges past waiters", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 1, per: 1, burst: 1 });
      assert.equal(limiter.tryAcquire(), true);
      assert.equal(limiter.tryAcquire(), false);
      const waiter = createTask(() => limiter.acquire());
      await sleep(0);
      await sleep(0.5);
      assert.equal(limiter.tryAcquire(), false);
      await waiter;
      assert.equal(now(), 1);
      assert.equal(limiter.tryAcquire(), false);
      await sleep(1);
      assert.equal(limiter.tryAcquire(), true);
    });
  });

  test("a cancelled waiter consumes nothing and the next waiter moves up", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 1, per: 1, burst: 2 });
      await limiter.acquire(2); // bucket empty at t=0
      const log = new EventLog();
      const heavy = createTask(async () => {
        await limiter.acquire(2); // would pass at t=2
        log.at("heavy");
      });
      await sleep(0);
      const light = createTask(async () => {
        await limiter.acquire(1); // behind heavy; alone it passes at t=1
        log.at("light");
      });
      await sleep(0.5);
      heavy.cancel();
      await assert.rejects(heavy, CancelledError);
      await light;
      assert.deepEqual(log.entries, ["1: light"]);
      assert.equal(limiter.statistics().admitted, 3);
    });
  });

  test("a waiter admitted and cancelled before it runs is refunded", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 1, per: 1, burst: 1 });
      await limiter.acquire();
      let victim: Task<void> | undefined;
      const admitted: string[] = [];
      victim = createTask(async () => {
        await limiter.acquire();
        admitted.push("victim");
      });
      const next = createTask(async () => {
        await limiter.acquire();
        admitted.push(`next at ${now()}`);
      });
      // At t=1 the timer admits the victim; cancel it in the same instant, before it runs.
      getRunningLoop().callAt(1, () => victim!.cancel());
      await assert.rejects(victim, CancelledError);
      await next;
      assert.deepEqual(admitted, ["next at 1"]);
      assert.equal(limiter.statistics().admitted, 2);
    });
  });

  test("waitFor(() => acquire(), t) times out without consuming", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 1, per: 10, burst: 1 });
      await limiter.acquire();
      await assert.rejects(
        waitFor(() => limiter.acquire(), 1),
        TimeoutError,
      );
      assert.equal(limiter.statistics().waiters, 0);
      await limiter.acquire();
      assert.equal(now(), 10);
    });
  });

  test("use(fn) acquires, then runs fn; statistics and toString", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 2, per: 1, burst: 1 });
      const results = await gather([1, 2, 3].map((n) => () => limiter.use(async () => [n, now()])));
      assert.deepEqual(results, [
        [1, 0],
        [2, 0.5],
        [3, 1],
      ]);
      assert.deepEqual(limiter.statistics(), {
        rate: 2,
        per: 1,
        burst: 1,
        available: 0,
        waiters: 0,
        admitted: 3,
      });
      assert.equal(String(limiter), "<RateLimiter rate=2/1s burst=1 available=0 waiters=0>");
      await sleep(0.5);
      assert.equal(limiter.statistics().available, 1);
    });
  });

  test("seed 004 exercise 3: requests per second", async () => {
    await runVirtual(async () => {
      const limiter = new RateLimiter({ rate: 5, per: 1, burst: 1 });
      const seconds: number[] = [];
      await gather(
        Array.from(
          { length: 11 },
          () => () => limiter.use(() => seconds.push(Math.floor(now() + 1e-9))),
        ),
      );
      // 5 per second, one every 0.2 s: 0,0,0,0,0 then 1,1,1,1,1 then 2 (1e-9: float steps).
      assert.deepEqual(seconds, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2]);
    });
  });

  test("property: admissions conform, are FIFO, and never wait longer than needed", async () => {
    const request = fc.record({
      at: fc.integer({ min: 0, max: 8 }).map((n) => n / 4),
      weight: fc.integer({ min: 1, max: 3 }),
      cancelAt: fc.option(
        fc.integer({ min: 0, max: 12 }).map((n) => n / 4),
        { nil: null },
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 3, max: 5 }),
        fc.array(request, { minLength: 1, maxLength: 10 }),
        async (rate, burst, requests) => {
          await runVirtual(async () => {
            const limiter = new RateLimiter({ rate, per: 1, burst });
            const T = 1 / rate;
            type Outcome = {
              i: number;
              at: number;
              admittedAt: number | null;
              cancelledAt: number | null;
            };
            const outcomes: Outcome[] = requests.map((_, i) => ({
              i,
              at: 0,
              admittedAt: null,
              cancelledAt: null,
            }));
            // Start requests in `at` order (ties in index order), so arrival order is known.
            const order = requests
              .map((r, i) => ({ r, i }))
              .sort((x, y) => x.r.at - y.r.at || x.i - y.i);
            const tasks: Task<void>[] = [];
            for (const { r, i } of order) {
              const task = createTask(async () => {
                await sleep(r.at);
                outcomes[i]!.at = now();
                try {
                  await limiter.acquire(r.weight);
                  outcomes[i]!.admittedAt = now();
                } catch (e) {
                  assert.ok(e instanceof CancelledError);
                  outcomes[i]!.cancelledAt = now();
                }
              });
              tasks[i] = task;
              if (r.cancelAt !== null) getRunningLoop().callAt(r.cancelAt, () => task.cancel());
            }
            await gather(tasks, { returnExceptions: true });
            const eps = 1e-9;
            // Arrival order = order of `at`, ties by index (sleep timers fire in creation order).
            const arrived = order.map(({ i }) => outcomes[i]!);
            const admitted = arrived.filter((o) => o.admittedAt !== null);
            // FIFO: admission times never decrease along the arrival order.
            for (let k = 1; k < admitted.length; k++) {
              assert.ok(admitted[k]!.admittedAt! >= admitted[k - 1]!.admittedAt! - eps, "not FIFO");
            }
            // Conformance (GCRA over the admitted requests) and tightness.
            let tat = Number.NEGATIVE_INFINITY;
            let prevAdmit = Number.NEGATIVE_INFINITY;
            let lastCancel = Number.NEGATIVE_INFINITY;
            for (const o of arrived) {
              const w = requests[o.i]!.weight;
              if (o.admittedAt === null) {
                lastCancel = Math.max(lastCancel, o.cancelledAt ?? 0);
                continue;
              }
              const t = o.admittedAt;
              const newTat = Math.max(tat, t) + w * T;
              assert.ok(newTat - t <= burst * T + eps, `over the rate at t=${t}`);
              const conformAt = Math.max(tat, o.at) + (w - burst) * T;
              const earliest = Math.max(o.at, prevAdmit, conformAt);
              assert.ok(
                t <= Math.max(earliest, lastCancel) + eps,
                `request ${o.i} waited until ${t}, could pass at ${earliest}`,
              );
              tat = newTat;
              prevAdmit = t;
            }
            assert.equal(limiter.statistics().waiters, 0);
          });
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 1500) },
    );
  });
});

describe("KeyedRateLimiter", () => {
  test("one bucket per key: keys do not delay each other", async () => {
    await runVirtual(async () => {
      const limiter = new KeyedRateLimiter<string>({ rate: 2, per: 1, burst: 1 });
      const log = new EventLog();
      await gather(
        ["a", "b", "a", "b", "a"].map((key) => async () => {
          await limiter.acquire(key);
          log.at(key);
        }),
      );
      assert.deepEqual(log.entries, ["0: a", "0: b", "0.5: a", "0.5: b", "1: a"]);
      assert.equal(await limiter.use("c", () => "ran"), "ran");
      assert.equal(limiter.tryAcquire("c"), false);
      assert.equal(limiter.tryAcquire("d", 1), true);
      await assert.rejects(limiter.acquire("d", 2), RangeError);
      assert.equal(limiter.statisticsFor("zzz").available, 1);
      assert.equal(String(limiter), "<KeyedRateLimiter rate=2/1s burst=1 keys=4>");
    });
  });

  test("idle buckets are dropped: memory stays bounded over many keys", async () => {
    await runVirtual(async () => {
      const limiter = new KeyedRateLimiter<number>({ rate: 10, per: 1, burst: 1 });
      let maxKeys = 0;
      for (let i = 0; i < 5000; i++) {
        assert.equal(limiter.tryAcquire(i), true);
        maxKeys = Math.max(maxKeys, limiter.statistics().keys);
        if (i % 10 === 9) await sleep(0.1); // each bucket is full again 0.1 s after use
      }
      assert.ok(maxKeys <= 128, `kept ${maxKeys} buckets`);
      // A dropped key behaves like a fresh one, and a recent key keeps its state.
      assert.equal(limiter.tryAcquire(0), true);
      assert.equal(limiter.tryAcquire(0), false);
    });
  });

  test("idle buckets are dropped even when no new key arrives", async () => {
    await runVirtual(async () => {
      const limiter = new KeyedRateLimiter<number>({ rate: 1, per: 1, burst: 1 });
      for (let i = 0; i < 1000; i++) assert.equal(limiter.tryAcquire(i), true);
      await sleep(2); // every bucket is full again
      for (let i = 0; i < 3000; i++) limiter.tryAcquire(-1);
      // Only -1 is in recent use; the 1000 idle buckets used to stay until new keys came.
      assert.equal(limiter.statistics().keys, 1);
    });
  });

  test("buckets left by another event loop are dropped like idle ones", async () => {
    const limiter = new KeyedRateLimiter<number>({ rate: 1, per: 1, burst: 1 });
    await runVirtual(async () => {
      await sleep(5);
      for (let i = 0; i < 100; i++) limiter.tryAcquire(i); // full again at t = 6 of this clock
    });
    await runVirtual(async () => {
      // A new clock starting at 0: those buckets' times mean nothing here, and using one would
      // reset it; they used to look busy (6 > 0) and be kept.
      for (let i = 0; i < 1000; i++) limiter.tryAcquire(-1);
      assert.equal(limiter.statistics().keys, 1);
    });
  });

  test("a key with waiters is never dropped", async () => {
    await runVirtual(async () => {
      const limiter = new KeyedRateLimiter<string>({ rate: 1, per: 100, burst: 1 });
      await limiter.acquire("slow");
      const waiter = createTask(() => limiter.acquire("slow"));
      await sleep(0);
      for (let i = 0; i < 300; i++) limiter.tryAcquire(`k${i}`);
      assert.equal(limiter.statistics().waiters, 1);
      await waiter;
      assert.equal(now(), 100);
    });
  });
});
