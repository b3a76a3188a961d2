import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CancelledError, createTask, gather, getRunningLoop, sleep } from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("gather", () => {
  test("results follow argument order, not completion order; time is the max, not the sum", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const delivery = async (name: string, hours: number) => {
        log.at(`${name} delivered`);
        await sleep(hours);
        log.at(`${name} finished eating`);
        return hours;
      };
      const result = await gather(
        () => delivery("A", 3),
        () => delivery("B", 1),
        () => delivery("C", 2),
      );
      assert.deepEqual(result, [3, 1, 2]);
      assert.deepEqual(log.entries, [
        "0: A delivered",
        "0: B delivered",
        "0: C delivered",
        "1: B finished eating",
        "2: C finished eating",
        "3: A finished eating",
      ]);
      assert.equal(getRunningLoop().time(), 3);
    });
  });

  test("list form with tasks, futures and promises; typed results", async () => {
    await runVirtual(async () => {
      const t = createTask(async () => "task");
      const f = getRunningLoop().createFuture<number>();
      f.setResult(2);
      const [a, b, c] = await gather([t, f, Promise.resolve(true)]);
      const typed: [string, number, boolean] = [a, b, c];
      assert.deepEqual(typed, ["task", 2, true]);
    });
  });

  test("the first error rejects the gather without cancelling the others", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const slow = createTask(async () => {
        await sleep(5);
        log.at("slow finished");
        return "slow";
      });
      await assert.rejects(
        async () =>
          await gather(slow, async () => {
            await sleep(1);
            throw new Error("fast failed");
          }),
        /fast failed/,
      );
      assert.equal(getRunningLoop().time(), 1);
      assert.equal(await slow, "slow");
      assert.deepEqual(log.entries, ["5: slow finished"]);
    });
  });

  test("returnExceptions puts errors and CancelledErrors in the result list (seed 004)", async () => {
    await runVirtual(async () => {
      const mightFail = async (n: number) => {
        if (n === 2) throw new RangeError("Error!");
        await sleep(1);
        return n;
      };
      const cancelledChild = createTask(() => sleep(10));
      cancelledChild.cancel("gone");
      const results = await gather(
        [() => mightFail(1), () => mightFail(2), () => mightFail(3), cancelledChild],
        {
          returnExceptions: true,
        },
      );
      assert.equal(results[0], 1);
      assert.ok(results[1] instanceof RangeError);
      assert.equal(results[2], 3);
      assert.ok(results[3] instanceof CancelledError);
      assert.equal((results[3] as CancelledError).message, "gone");
    });
  });

  test("a cancelled child rejects the gather with CancelledError but leaves the others running", async () => {
    await runVirtual(async () => {
      const a = createTask(() => sleep(1, "a"));
      const b = createTask(() => sleep(2, "b"));
      const g = gather(a, b);
      await sleep(0);
      a.cancel();
      await assert.rejects(async () => await g, CancelledError);
      assert.equal(await b, "b");
    });
  });

  test("cancelling the gather cancels every child and the gather ends cancelled", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const child = (name: string) => async () => {
        try {
          await sleep(10);
        } finally {
          log.at(`${name} cleanup`);
        }
      };
      const g = gather(child("x"), child("y"));
      await sleep(1);
      assert.equal(g.cancel("enough"), true);
      await assert.rejects(async () => await g, CancelledError);
      assert.deepEqual(log.entries, ["1: x cleanup", "1: y cleanup"]);
      assert.equal(g.cancel(), false);
    });
  });

  test("a task awaiting a gather that is cancelled cancels the gather's children", async () => {
    await runVirtual(async () => {
      const children = [createTask(() => sleep(10)), createTask(() => sleep(10))];
      const waiter = createTask(() => gather(children));
      await sleep(1);
      waiter.cancel();
      await assert.rejects(async () => await waiter, CancelledError);
      assert.deepEqual(
        children.map((c) => c.cancelled()),
        [true, true],
      );
    });
  });

  test("the same awaitable passed twice is awaited once and reported twice", async () => {
    await runVirtual(async () => {
      let runs = 0;
      const t = createTask(async () => ++runs);
      assert.deepEqual(await gather(t, t), [1, 1]);
      assert.equal(runs, 1);
    });
  });

  test("an empty gather resolves to []", async () => {
    await runVirtual(async () => {
      assert.deepEqual(await gather(), []);
      assert.deepEqual(await gather([]), []);
    });
  });

  test("errors of children finishing after the gather failed are not reported as never retrieved", async () => {
    await runVirtual(async () => {
      const seen: string[] = [];
      getRunningLoop().setExceptionHandler((_l, ctx) => seen.push(ctx.message));
      await assert.rejects(
        async () =>
          await gather(
            async () => {
              throw new Error("first");
            },
            async () => {
              await sleep(1);
              throw new Error("second");
            },
          ),
        /first/,
      );
      await sleep(2);
      assert.deepEqual(seen, []);
    });
  });
});
