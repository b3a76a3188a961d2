// Queue, PriorityQueue, LifoQueue: CPython 3.13's test_queues.py, ported (virtual clock).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CancelledError,
  createTask,
  defaultCompare,
  gather,
  getRunningLoop,
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  sleep,
  TimeoutError,
  taskGroup,
  waitFor,
} from "../src/index.js";
import { EventLog, runVirtual } from "./helpers.js";

describe("Queue basics", () => {
  test("toString shows maxsize, items, waiters, tasks and shutdown (test_repr, test_format)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      assert.equal(String(q), "<Queue maxsize=0>");
      q.putNowait(1);
      q.putNowait(2);
      assert.equal(String(q), "<Queue maxsize=0 items=[1, 2] tasks=2>");
      q.getNowait();
      q.getNowait();
      const getter = createTask(() => q.get());
      await sleep(0);
      assert.equal(String(q), "<Queue maxsize=0 getters[1] tasks=2>");
      getter.cancel();
      await assert.rejects(getter, CancelledError);
      q.shutdown();
      assert.equal(String(q), "<Queue maxsize=0 tasks=2 shutdown>");
      assert.equal(String(new PriorityQueue(3)), "<PriorityQueue maxsize=3>");
    });
  });

  test("statistics", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>(1);
      q.putNowait("a");
      const putter = createTask(() => q.put("b"));
      await sleep(0);
      assert.deepEqual(q.statistics(), {
        size: 1,
        maxsize: 1,
        getters: 0,
        putters: 1,
        unfinishedTasks: 1,
        shutdown: false,
      });
      assert.equal(await q.get(), "a");
      await putter;
      assert.equal(q.qsize(), 1);
    });
  });

  test("empty, full and maxsize (test_empty, test_full, test_float_maxsize)", () => {
    const q = new Queue<number>();
    assert.equal(q.empty(), true);
    q.putNowait(1);
    assert.equal(q.empty(), false);
    assert.equal(q.full(), false);
    const b = new Queue<number>(1);
    b.putNowait(1);
    assert.equal(b.full(), true);
    const f = new Queue<number>(1.3);
    f.putNowait(1);
    f.putNowait(2);
    assert.equal(f.full(), true);
    assert.throws(() => f.putNowait(3), QueueFull);
    assert.equal(f.maxsize, 1.3);
    assert.throws(() => new Queue("3" as unknown as number), TypeError);
  });

  test("a bounded queue blocks put until get (test_maxsize)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(2);
      const have: number[] = [];
      const putter = createTask(async () => {
        for (let i = 0; i < 3; i++) {
          await q.put(i);
          have.push(i);
        }
        return true;
      });
      await sleep(0);
      assert.deepEqual(have, [0, 1]);
      assert.equal(q.getNowait(), 0);
      assert.equal(await putter, true);
      assert.deepEqual(have, [0, 1, 2]);
    });
  });

  test("getNowait/putNowait raise QueueEmpty/QueueFull naming the queue", () => {
    const q = new Queue<number>(1);
    assert.throws(() => q.getNowait(), {
      name: "QueueEmpty",
      message: "getNowait() on an empty queue: <Queue maxsize=1>",
    });
    q.putNowait(1);
    assert.throws(() => q.putNowait(2), {
      name: "QueueFull",
      message: "putNowait() on a full queue: <Queue maxsize=1 items=[1] tasks=1>",
    });
    assert.throws(() => new Queue<number>().getNowait(), QueueEmpty);
  });
});

describe("Queue get", () => {
  test("a blocked get returns the item put later (test_blocking_get_wait)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      const log = new EventLog();
      const t = createTask(async () => {
        const item = await q.get();
        log.at(`got ${item}`);
        return item;
      });
      getRunningLoop().callLater(0.01, () => q.putNowait(1));
      assert.equal(await t, 1);
      assert.deepEqual(log.entries, ["0.01: got 1"]);
    });
  });

  test("get wakes a waiting putter (test_get_with_putters, test_get_with_waiting_putters)", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>(1);
      createTask(() => q.put("a"));
      createTask(() => q.put("b"));
      assert.equal(await q.get(), "a");
      assert.equal(await q.get(), "b");
    });
  });

  test("a cancelled getter does not take the next item (test_get_cancelled_race)", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>();
      const t1 = createTask(() => q.get());
      const t2 = createTask(() => q.get());
      await sleep(0);
      t1.cancel();
      await sleep(0);
      assert.ok(t1.done());
      await q.put("a");
      await sleep(0);
      assert.equal(await t2, "a");
    });
  });

  test("a getter woken and then cancelled leaves its item in the queue (test_get_cancel_drop_one_pending_reader)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      let reader = createTask(() => q.get());
      await sleep(0);
      q.putNowait(1);
      q.putNowait(2);
      reader.cancel();
      try {
        await reader;
      } catch (e) {
        assert.ok(e instanceof CancelledError);
        reader = createTask(() => q.get());
        await reader;
      }
      assert.equal(reader.result(), 1); // 2 would mean 1 was dropped
    });
  });

  test("many readers, one cancelled: both items still delivered (test_get_cancel_drop_many_pending_readers)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      const readers = await taskGroup(async (tg) => {
        const r1 = tg.createTask(() => q.get());
        const r2 = tg.createTask(() => q.get());
        const r3 = tg.createTask(() => q.get());
        await sleep(0);
        q.putNowait(1);
        q.putNowait(2);
        r1.cancel();
        await assert.rejects(r1, CancelledError);
        await r3;
        return [r2, r3];
      });
      assert.deepEqual(new Set(readers.map((r) => r.result())), new Set([1, 2]));
    });
  });

  test("waitFor(q.get(), t) times out and leaves no getter (test_cancelled_getters_not_being_held_in_self_getters)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(5);
      await assert.rejects(
        waitFor(() => q.get(), 0.1),
        TimeoutError,
      );
      assert.equal(q.statistics().getters, 0);
      q.putNowait(7);
      assert.equal(await q.get(), 7);
    });
  });

  test("producer and consumer through Queue(1) (test_why_are_getters_waiting)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(1);
      const got: number[] = [];
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          for (let i = 0; i < 5; i++) await q.put(i);
        });
        tg.createTask(async () => {
          for (let i = 0; i < 5; i++) got.push(await q.get());
        });
      });
      assert.deepEqual(got, [0, 1, 2, 3, 4]);
    });
  });

  test("no barging: a get arriving after a put queues behind the getter it woke", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>();
      const first = createTask(() => q.get());
      await sleep(0);
      q.putNowait("x");
      const late = createTask(() => q.get());
      await sleep(0);
      assert.equal(await first, "x");
      assert.equal(late.done(), false);
      q.putNowait("y");
      assert.equal(await late, "y");
    });
  });
});

describe("Queue put", () => {
  test("a putter woken and then cancelled does not enqueue (test_put_cancel_drop)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(1);
      q.putNowait(1);
      let writer = createTask(() => q.put(2));
      await sleep(0);
      assert.equal(q.getNowait(), 1);
      writer.cancel();
      try {
        await writer;
      } catch (e) {
        assert.ok(e instanceof CancelledError);
        writer = createTask(() => q.put(2));
        await writer;
      }
      assert.equal(q.getNowait(), 2);
      assert.equal(q.qsize(), 0);
    });
  });

  test("a cancelled putter is skipped (test_put_cancelled_race)", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>(1);
      const putA = createTask(() => q.put("a"));
      const putB = createTask(() => q.put("b"));
      const putC = createTask(() => q.put("X"));
      await sleep(0);
      assert.ok(putA.done());
      assert.equal(putB.done(), false);
      putC.cancel();
      await sleep(0);
      assert.ok(putC.done());
      assert.equal(q.getNowait(), "a");
      await sleep(0);
      assert.equal(q.getNowait(), "b");
      await putB;
    });
  });

  test("a put with a waiting getter hands it over (test_put_with_waiting_getters)", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>();
      const t = createTask(() => q.get());
      await sleep(0);
      await q.put("a");
      assert.equal(await t, "a");
    });
  });

  test("cancelled putters leave the waiters (test_cancelled_puts_not_being_held_in_self_putters)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(1);
      q.putNowait(1);
      const putTask = createTask(() => q.put(1));
      await sleep(0);
      assert.equal(q.statistics().putters, 1);
      putTask.cancel();
      await assert.rejects(putTask, CancelledError);
      assert.equal(q.statistics().putters, 0);
    });
  });

  test("putters emptied by getNowait (test_why_are_putters_waiting)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(2);
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          await sleep(0);
          const n = q.qsize();
          for (let i = 0; i < n; i++) q.getNowait();
        });
        for (let i = 0; i < 4; i++) tg.createTask(() => q.put(i));
      });
      assert.equal(q.qsize(), 2);
    });
  });
});

describe("taskDone and join", () => {
  test("taskDone too often is a RangeError (test_task_done_underflow)", () => {
    const q = new Queue<number>();
    assert.throws(() => q.taskDone(), {
      name: "RangeError",
      message:
        "taskDone() called too many times: every item put into <Queue maxsize=0> is already marked done",
    });
  });

  test("join waits until every item is marked done (test_task_done)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      for (let i = 0; i < 100; i++) q.putNowait(i);
      let accumulator = 0;
      let running = true;
      const worker = async () => {
        while (running) {
          const item = await q.get();
          accumulator += item;
          q.taskDone();
        }
      };
      const tasks = [createTask(worker), createTask(worker)];
      await q.join();
      assert.equal(accumulator, 4950);
      running = false;
      for (const t of tasks) t.cancel();
      await gather(tasks, { returnExceptions: true });
    });
  });

  test("join on an empty queue returns at once (test_join_empty_queue)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>();
      await q.join();
      await q.join();
    });
  });
});

describe("Queue shutdown (3.13)", () => {
  test("shutdown on an empty queue fails waiting getters and putters (test_shutdown_empty)", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(1);
      const getter = createTask(() => q.get());
      await sleep(0);
      q.shutdown();
      await assert.rejects(getter, QueueShutDown);
      await assert.rejects(q.put(1), {
        name: "QueueShutDown",
        message: "put() on a queue that was shut down: <Queue maxsize=1 shutdown>",
      });
      assert.throws(() => q.putNowait(1), QueueShutDown);
      await assert.rejects(q.get(), QueueShutDown);
      assert.throws(() => q.getNowait(), QueueShutDown);
    });
  });

  test("after a plain shutdown, gets drain the items then fail (test_shutdown_nonempty)", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>(1);
      q.putNowait("data");
      const putter = createTask(() => q.put("never"));
      await sleep(0);
      q.shutdown();
      await assert.rejects(putter, QueueShutDown);
      assert.equal(await q.get(), "data");
      q.taskDone();
      await q.join();
      await assert.rejects(q.get(), QueueShutDown);
    });
  });

  test("shutdown(true) drops the items, releases join and fails getters (test_shutdown_immediate)", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>();
      q.putNowait("data");
      const joiner = createTask(() => q.join());
      await sleep(0);
      q.shutdown(true);
      assert.equal(q.empty(), true);
      await joiner;
      await assert.rejects(q.get(), QueueShutDown);
      assert.throws(() => q.taskDone(), RangeError);
    });
  });

  test("shutdown(true) with items taken but unfinished keeps join waiting (test_shutdown_immediate_with_unfinished)", async () => {
    await runVirtual(async () => {
      const q = new Queue<string>();
      q.putNowait("data");
      q.putNowait("data");
      await q.get();
      const joiner = createTask(() => q.join());
      await sleep(0);
      q.shutdown(true);
      await sleep(0);
      assert.equal(joiner.done(), false);
      q.taskDone();
      await joiner;
    });
  });

  test("for await reads until shutdown", async () => {
    await runVirtual(async () => {
      const q = new Queue<number>(2);
      const seen: number[] = [];
      const consumer = createTask(async () => {
        for await (const item of q) {
          seen.push(item);
          q.taskDone();
        }
        return "stopped";
      });
      for (let i = 0; i < 5; i++) await q.put(i);
      await q.join();
      q.shutdown();
      assert.equal(await consumer, "stopped");
      assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    });
  });
});

describe("PriorityQueue and LifoQueue", () => {
  test("LifoQueue returns the newest first (test_order)", async () => {
    await runVirtual(async () => {
      const q = new LifoQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      const items = [await q.get(), await q.get(), await q.get()];
      assert.deepEqual(items, [2, 3, 1]);
      assert.equal(String(q), "<LifoQueue maxsize=0 tasks=3>");
    });
  });

  test("PriorityQueue returns the smallest first (test_order)", async () => {
    await runVirtual(async () => {
      const q = new PriorityQueue<number>();
      for (const i of [1, 3, 2]) await q.put(i);
      assert.equal(String(q), "<PriorityQueue maxsize=0 items=[1, 2, 3] tasks=3>");
      const items = [await q.get(), await q.get(), await q.get()];
      assert.deepEqual(items, [1, 2, 3]);
    });
  });

  test("arrays compare element by element like Python tuples; ties come out FIFO", () => {
    const q = new PriorityQueue<[number, string]>();
    q.putNowait([2, "b"]);
    q.putNowait([1, "z"]);
    q.putNowait([2, "a"]);
    q.putNowait([1, "z"]);
    const out = [q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()];
    assert.deepEqual(out, [
      [1, "z"],
      [1, "z"],
      [2, "a"],
      [2, "b"],
    ]);
    assert.ok(defaultCompare([1], [1, 0]) < 0);
    assert.ok(defaultCompare("b", "a") > 0);
    assert.equal(defaultCompare(2n, 2), 0);
  });

  test("incomparable items are a TypeError and leave the queue unchanged", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(1);
    q.putNowait(5);
    assert.throws(() => q.putNowait("x"), /PriorityQueue cannot order/);
    assert.throws(() => q.putNowait({}), TypeError);
    assert.equal(q.qsize(), 2);
    assert.equal(q.statistics().unfinishedTasks, 2);
    assert.deepEqual([q.getNowait(), q.getNowait()], [1, 5]);
  });

  test("a custom compare orders objects", () => {
    const q = new PriorityQueue<{ p: number }>(0, { compare: (a, b) => b.p - a.p });
    for (const p of [3, 9, 1]) q.putNowait({ p });
    assert.deepEqual([q.getNowait().p, q.getNowait().p, q.getNowait().p], [9, 3, 1]);
    assert.throws(() => new PriorityQueue(0, { compare: 1 as unknown as () => number }), TypeError);
  });

  test("a heap of many random numbers comes out sorted", () => {
    const q = new PriorityQueue<number>();
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 503);
    for (const v of values) q.putNowait(v);
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    assert.deepEqual(
      out,
      [...values].sort((a, b) => a - b),
    );
  });
});
