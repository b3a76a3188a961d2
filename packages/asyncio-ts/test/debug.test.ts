import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  cancellable,
  createTask,
  describeAwait,
  type ExceptionContext,
  formatTaskTree,
  gather,
  getRunningLoop,
  Lock,
  Queue,
  run,
  Semaphore,
  sleep,
  taskGroup,
  wait,
} from "../src/index.js";
import { VirtualClock } from "../src/testing.js";

/** Busy-waits `ms` of real time: the blocking code debug mode must catch. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

// On a loaded machine any code may be descheduled for a while and be reported as slow too, so
// the tests look for the report that names the blocking task rather than count all reports.
function runDebug<T>(
  main: () => Promise<T>,
  seen: ExceptionContext[],
  threshold = 0.04,
): Promise<T> {
  return run(
    async () => {
      const loop = getRunningLoop();
      loop.slowCallbackDuration = threshold;
      loop.setExceptionHandler((_l, context) => seen.push(context));
      return main();
    },
    { debug: true },
  );
}

describe("debug mode", () => {
  test("a task blocking the loop after an await is reported with its name", async () => {
    const seen: ExceptionContext[] = [];
    await runDebug(async () => {
      const t = createTask(
        async () => {
          await sleep(0);
          block(60);
        },
        { name: "cruncher" },
      );
      await t;
      await sleep(0);
    }, seen);
    const slow = seen.filter((c) =>
      /^Executing .*name="cruncher".* took \d+\.\d{3} seconds$/.test(c.message),
    );
    assert.equal(slow.length, 1, JSON.stringify(seen.map((c) => c.message)));
    assert.ok((slow[0]!.duration as number) >= 0.04);
  });

  test("a task blocking in its first synchronous step is reported with its name", async () => {
    const seen: ExceptionContext[] = [];
    await runDebug(async () => {
      await createTask(() => block(60), { name: "eager" });
      await sleep(0);
    }, seen);
    const slow = seen.filter((c) => /^Executing .*name="eager"/.test(c.message));
    assert.equal(slow.length, 1, JSON.stringify(seen.map((c) => c.message)));
  });

  test("fast code is not reported", async () => {
    const seen: ExceptionContext[] = [];
    await runDebug(
      async () => {
        await Promise.all([createTask(() => sleep(0.001)), createTask(async () => 1)]);
      },
      seen,
      0.5,
    );
    assert.deepEqual(
      seen.map((c) => c.message),
      [],
    );
  });

  test("a never-retrieved task error is reported once, with the stack where the task was created", async () => {
    const seen: ExceptionContext[] = [];
    await runDebug(async () => {
      createTask(
        async () => {
          throw new Error("lost");
        },
        { name: "forgotten" },
      );
      await sleep(0.001);
    }, seen);
    const reports = seen.filter((c) => c.message === "Task exception was never retrieved");
    assert.equal(reports.length, 1);
    assert.equal((reports[0]!.exception as Error).message, "lost");
    assert.match(String(reports[0]!.sourceTraceback), /debug\.test\.js/);
  });

  test("tasks still pending when run() ends are named with what they await and where they were created", async () => {
    const seen: ExceptionContext[] = [];
    await runDebug(async () => {
      createTask(
        () =>
          gather(
            () => sleep(60),
            () => sleep(1),
          ),
        { name: "gathering" },
      );
      createTask(() => sleep(60), { name: "sleeper" });
      await sleep(0);
    }, seen);
    const all = seen.filter((c) => c.message.startsWith("Task was still pending"));
    assert.equal(all.length, 4, "the two named tasks and the gather's two children");
    const pending = all.filter((c) => !/^Task-\d+$/.test(String(c.task?.name)));
    assert.deepEqual(
      pending.map((c) => [c.task?.name, String(c.awaiting).replace(/\d+\.\d+/g, "N")]),
      [
        ["gathering", "gather of 2 (0 done)"],
        ["sleeper", "sleep until t=N (N s left)"],
      ],
    );
    assert.match(String(pending[0]!.sourceTraceback), /debug\.test\.js/);
  });

  test("ASYNCIO_TS_DEBUG=1 turns debug mode on", async () => {
    const previous = process.env.ASYNCIO_TS_DEBUG;
    process.env.ASYNCIO_TS_DEBUG = "1";
    try {
      assert.equal(await run(async () => getRunningLoop().getDebug()), true);
    } finally {
      if (previous === undefined) delete process.env.ASYNCIO_TS_DEBUG;
      else process.env.ASYNCIO_TS_DEBUG = previous;
    }
    assert.equal(await run(async () => getRunningLoop().getDebug()), false);
  });
});

describe("task tree", () => {
  test("the tree of a nested TaskGroup program matches the expected snapshot", async () => {
    const tree = await run(
      async () => {
        let snapshot = "";
        await taskGroup(async (outer) => {
          outer.createTask(() => sleep(10), { name: "sleeper" });
          outer.createTask(
            () =>
              taskGroup(async (inner) => {
                inner.createTask(() => sleep(5), { name: "inner-a" });
                inner.createTask(
                  async () => {
                    await sleep(2);
                    snapshot = formatTaskTree();
                  },
                  { name: "inner-b" },
                );
              }),
            { name: "group" },
          );
          await sleep(1);
          outer.createTask(() => sleep(3), { name: "late" });
        });
        return snapshot;
      },
      { clock: new VirtualClock() },
    );
    assert.equal(
      tree,
      [
        "6 tasks at t=2.000:",
        "└── main (age 2.000 s) awaiting <TaskGroup tasks=3 exiting>",
        "    ├── sleeper (age 2.000 s) awaiting sleep until t=10.000 (8.000 s left)",
        "    ├── group (age 2.000 s) awaiting <TaskGroup tasks=2 exiting>",
        "    │   ├── inner-a (age 2.000 s) awaiting sleep until t=5.000 (3.000 s left)",
        "    │   └── inner-b (age 2.000 s) awaiting running, or awaiting a foreign promise",
        "    └── late (age 1.000 s) awaiting sleep until t=4.000 (2.000 s left)",
      ].join("\n"),
    );
  });

  test("describeAwait names the lock, queue or semaphore a task waits in", async () => {
    await run(
      async () => {
        const lock = new Lock();
        await lock.acquire();
        const queue = new Queue<number>();
        const sem = new Semaphore(0);
        const tasks = [
          createTask(() => lock.acquire()),
          createTask(() => queue.get()),
          createTask(() => sem.acquire()),
        ];
        await sleep(0);
        assert.deepEqual(
          tasks.map((t) => describeAwait(t)),
          [String(lock), String(queue), String(sem)],
        );
        assert.match(describeAwait(tasks[0]!), /^<Lock \[locked, waiters:1\]>$/);
        for (const t of tasks) t.cancel();
      },
      { clock: new VirtualClock() },
    );
  });

  test("describeAwait names waits and foreign promises made cancellable", async () => {
    await run(
      async () => {
        const fast = createTask(() => sleep(1));
        const waiting = createTask(() => wait([fast], { timeout: 5 }));
        const foreign = createTask(() => cancellable(new Promise(() => {})));
        await sleep(0);
        assert.equal(describeAwait(waiting), "wait(1 of 1 pending, ALL_COMPLETED, timeout 5 s)");
        assert.equal(describeAwait(foreign), "a promise (not asyncio-ts; cancellable)");
        await waiting;
        foreign.cancel();
      },
      { clock: new VirtualClock() },
    );
  });

  test("describeAwait names tasks, gathers and unstarted tasks", async () => {
    await run(
      async () => {
        const inner = createTask(() => sleep(1), { name: "inner" });
        const awaitingTask = createTask(async () => await inner);
        assert.equal(describeAwait(awaitingTask), "not started yet");
        await sleep(0);
        assert.equal(describeAwait(awaitingTask), 'task "inner"');
        const gathering = createTask(() =>
          gather(
            () => sleep(1),
            () => sleep(2),
          ),
        );
        await sleep(1.5);
        assert.equal(describeAwait(gathering), "gather of 2 (1 done)");
        await gathering;
        assert.equal(describeAwait(gathering), "nothing (done)");
      },
      { clock: new VirtualClock() },
    );
  });

  test("SIGUSR2 prints the tree to stderr in debug mode", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/sigusr2.js", import.meta.url));
    const child = spawn(process.execPath, [fixture], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) child.kill("SIGUSR2");
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\d+ tasks at t=/);
    assert.match(stderr, /└── main \(age .*\) awaiting <TaskGroup/);
    assert.match(stderr, /worker-1 \(age .*\) awaiting sleep until/);
    assert.match(stderr, /controller \(age/);
  });
});
