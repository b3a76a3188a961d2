// A task cancelled by other code in the microtask between its function's return and the task
// being done (an async function hands its result over in a promise reaction). asyncio's task is
// done by then: cancel() returns false and the result stays. Here cancel() returns true, and the
// task used to end cancelled with its result dropped: a getter that had just got its item lost
// it, and a TaskGroup cancelling its children after a sibling failed could drop what a child had
// got in that same checkpoint. Now the task ends with its result (task.ts, _finishWithValue).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTask, Queue, Semaphore, sleep } from "../src/index.js";
import { runVirtual } from "./helpers.js";

describe("a task cancelled right after its function returned", () => {
  // CPython 3.13: getter = create_task(q.get()); await sleep(0); q.put_nowait(1); then, after
  // n sleeps, getter.cancel(): with n = 0 the getter ends cancelled and the item stays in the
  // queue; with n >= 1 the getter is done, cancel() returns False, the item is its result.
  test("keeps the item its get took: it is the task's result", async () => {
    await runVirtual(async () => {
      const queue = new Queue<string>();
      const getter = createTask(() => queue.get());
      await sleep(0);
      queue.putNowait("item");
      while (queue.qsize() > 0) await null; // one microtask at a time, until the get took it
      assert.equal(getter.done(), false); // its function has returned; the task is not done yet
      getter.cancel();
      assert.equal(await getter, "item");
      assert.equal(queue.qsize(), 0);
    });
  });

  test("a cancel at every microtask after the put or release loses no item and no permit", async () => {
    for (const op of ["get", "acquire"] as const) {
      for (let hops = 0; hops <= 12; hops++) {
        await runVirtual(async () => {
          const queue = new Queue<number>();
          const sem = new Semaphore(0);
          const waiter = createTask(async () =>
            op === "get" ? await queue.get() : await sem.acquire(),
          );
          await sleep(0);
          if (op === "get") queue.putNowait(7);
          else sem.release();
          for (let i = 0; i < hops; i++) await null; // one microtask each
          waiter.cancel();
          await waiter.then(
            () => {},
            () => {},
          );
          const where = `${op}, cancel after ${hops} microtasks`;
          if (waiter.cancelled()) {
            // Cancelled before it took anything: the item or the permit is still there.
            if (op === "get") assert.equal(queue.qsize(), 1, where);
            else assert.deepEqual(sem.statistics(), { value: 1, waiters: 0 }, where);
          } else {
            // It got it, and it is its result: nothing is held by nobody.
            assert.equal(waiter.result(), op === "get" ? 7 : true, where);
            if (op === "get") assert.equal(queue.qsize(), 0, where);
            else assert.deepEqual(sem.statistics(), { value: 0, waiters: 0 }, where);
          }
        });
      }
    }
  });
});
