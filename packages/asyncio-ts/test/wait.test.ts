import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ALL_COMPLETED,
  asCompleted,
  createTask,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  getRunningLoop,
  sleep,
  TimeoutError,
  wait,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("wait", () => {
  test("ALL_COMPLETED (default) returns every input in done", async () => {
    await runVirtual(async () => {
      const a = createTask(() => sleep(1, "a"));
      const b = createTask(() => sleep(2, "b"));
      const [done, pending] = await wait([a, b]);
      assert.deepEqual([done.size, pending.size], [2, 0]);
      assert.ok(done.has(a) && done.has(b));
      assert.equal(getRunningLoop().time(), 2);
      const [done2] = await wait([a], { returnWhen: ALL_COMPLETED });
      assert.ok(done2.has(a));
    });
  });

  test("FIRST_COMPLETED returns after the first, then the seed cancels the pending ones", async () => {
    await runVirtual(async () => {
      const tasks = [2, 1, 3].map((s) => createTask(() => sleep(s, `url${s}`)));
      const [done, pending] = await wait(tasks, { returnWhen: FIRST_COMPLETED });
      assert.equal(getRunningLoop().time(), 1);
      assert.deepEqual([done.size, pending.size], [1, 2]);
      assert.ok(done.has(tasks[1]!));
      for (const t of pending) t.cancel();
      await sleep(0);
      assert.ok(tasks[0]!.cancelled() && tasks[2]!.cancelled());
    });
  });

  test("FIRST_EXCEPTION returns at the first failure", async () => {
    await runVirtual(async () => {
      const ok = createTask(() => sleep(1));
      const bad = createTask(async () => {
        await sleep(2);
        throw new Error("bad");
      });
      const slow = createTask(() => sleep(5));
      const [done, pending] = await wait([ok, bad, slow], { returnWhen: FIRST_EXCEPTION });
      assert.equal(getRunningLoop().time(), 2);
      assert.ok(done.has(ok) && done.has(bad) && pending.has(slow));
      assert.equal((bad.exception() as Error).message, "bad");
      slow.cancel();
    });
  });

  test("timeout returns what is done so far, never throws, never cancels", async () => {
    await runVirtual(async () => {
      const fast = createTask(() => sleep(1));
      const slow = createTask(() => sleep(10));
      const [done, pending] = await wait([fast, slow], { timeout: 3 });
      assert.equal(getRunningLoop().time(), 3);
      assert.ok(done.has(fast) && pending.has(slow));
      assert.equal(slow.cancelled(), false);
      slow.cancel();
    });
  });

  test("members are the objects passed in, including promises", async () => {
    await runVirtual(async () => {
      const p = Promise.resolve(1);
      const [done] = await wait([p]);
      assert.ok(done.has(p));
    });
  });

  test("bad input: empty input, unknown returnWhen, functions, NaN timeout", async () => {
    await runVirtual(async () => {
      await assert.rejects(
        wait([]),
        (e: unknown) => e instanceof RangeError && /at least one/.test(e.message),
      );
      const t = createTask(() => sleep(1));
      await assert.rejects(
        wait([t], { returnWhen: "SOMETIMES" as never }),
        /returnWhen to be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got the string "SOMETIMES"/,
      );
      await assert.rejects(wait([async () => 1] as never), /start functions with createTask first/);
      await assert.rejects(wait([t], { timeout: Number.NaN }), RangeError);
      await t;
    });
  });
});

describe("asCompleted", () => {
  test("for await yields the original tasks in completion order", async () => {
    await runVirtual(async () => {
      const log = new EventLog();
      const tasks = [3, 1, 2].map((s) => createTask(() => sleep(s, `url${s} data`)));
      for await (const t of asCompleted(tasks)) {
        assert.ok(tasks.includes(t));
        log.at(await t);
      }
      assert.deepEqual(log.entries, ["1: url1 data", "2: url2 data", "3: url3 data"]);
    });
  });

  test("plain iteration yields promises that settle in completion order (seed 004)", async () => {
    await runVirtual(async () => {
      const fetch = async (url: string, delay: number) => {
        await sleep(delay);
        return `${url} data`;
      };
      const results: string[] = [];
      for (const next of asCompleted([
        () => fetch("url1", 3),
        () => fetch("url2", 1),
        () => fetch("url3", 2),
      ])) {
        results.push(await next);
      }
      assert.deepEqual(results, ["url2 data", "url3 data", "url1 data"]);
    });
  });

  test("after the timeout the next step rejects with TimeoutError", async () => {
    await runVirtual(async () => {
      const got: string[] = [];
      const slow = createTask(() => sleep(10, "slow"));
      await assert.rejects(async () => {
        for await (const t of asCompleted([createTask(() => sleep(1, "fast")), slow], {
          timeout: 2,
        })) {
          got.push(await t);
        }
      }, TimeoutError);
      assert.deepEqual(got, ["fast"]);
      assert.equal(getRunningLoop().time(), 2);
      slow.cancel();
    });
  });

  test("errors surface when the failed input is awaited", async () => {
    await runVirtual(async () => {
      const it = asCompleted([
        createTask(async () => {
          throw new Error("x");
        }),
      ]);
      for (const next of it) await assert.rejects(next, /x/);
    });
  });
});
