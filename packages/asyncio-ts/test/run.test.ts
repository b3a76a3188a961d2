import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  CancelledError,
  createTask,
  currentTask,
  type EventLoop,
  getEventLoop,
  getRunningLoop,
  RuntimeError,
  run,
  sleep,
} from "../src/index.js";
import { VirtualClock } from "../src/testing.js";
import { captureExceptions, EventLog, runVirtual } from "./helpers.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.js`, import.meta.url));

/** Runs a fixture in a child node process; resolves with its exit code and output. */
function runFixture(
  name: string,
  args: string[] = [],
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void,
): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture(name), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        lines.push(line);
        onLine?.(line, child);
        newline = buffered.indexOf("\n");
      }
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not exit by itself within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, lines, stderr });
    });
  });
}

describe("run", () => {
  test("resolves with main's value and rejects with main's error", async () => {
    assert.equal(await runVirtual(async () => 42), 42);
    await assert.rejects(
      runVirtual(async () => {
        throw new URIError("main failed");
      }),
      URIError,
    );
  });

  test("calling run inside a running loop throws RuntimeError", async () => {
    await runVirtual(async () => {
      await assert.rejects(async () => run(async () => 1), RuntimeError);
    });
  });

  test("leftover tasks are cancelled and their cleanup awaited before run resolves", async () => {
    const log = new EventLog();
    await runVirtual(async () => {
      createTask(async () => {
        try {
          await sleep(3600);
        } catch (e) {
          log.at(`leftover got ${(e as Error).name}`);
          await sleep(1);
          log.at("leftover cleaned up");
          throw e;
        }
      });
      await sleep(1);
      log.at("main returns");
    });
    assert.deepEqual(log.entries, [
      "1: main returns",
      "1: leftover got CancelledError",
      "2: leftover cleaned up",
    ]);
  });

  test("an error of a leftover task during shutdown is reported, not dropped", async () => {
    const seen: string[] = [];
    await runVirtual(async () => {
      getRunningLoop().setExceptionHandler((_l, ctx) =>
        seen.push(`${ctx.message}: ${(ctx.exception as Error).message}`),
      );
      createTask(async () => {
        try {
          await sleep(3600);
        } catch {
          throw new Error("cleanup broke"); // the cancelled task's cleanup fails
        }
      });
      await sleep(0);
    });
    assert.deepEqual(seen, ["unhandled exception during run() shutdown: cleanup broke"]);
  });

  test("a task that failed and was never awaited is reported exactly once", async () => {
    const seen: string[] = [];
    await runVirtual(async () => {
      getRunningLoop().setExceptionHandler((_l, ctx) =>
        seen.push(`${ctx.message}: ${(ctx.exception as Error).message} (${ctx.task?.name})`),
      );
      createTask(
        async () => {
          throw new Error("nobody listens");
        },
        { name: "forgotten" },
      );
      const observed = createTask(async () => {
        throw new Error("observed later");
      });
      await sleep(1);
      await assert.rejects(async () => await observed, /observed later/);
    });
    assert.deepEqual(seen, ["Task exception was never retrieved: nobody listens (forgotten)"]);
  });

  test("a failed task collected before run() ends is reported once, by the garbage collector", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const seen: string[] = [];
    await run(async () => {
      getRunningLoop().setExceptionHandler((_l, ctx) =>
        seen.push(`${ctx.message}: ${ctx.description}`),
      );
      (() => {
        createTask(async () => {
          throw new Error("collected");
        });
      })();
      for (let i = 0; i < 10 && seen.length === 0; i++) {
        await sleep(0.005);
        gc();
      }
    });
    assert.equal(seen.length, 1);
    assert.match(
      seen[0]!,
      /^Task exception was never retrieved: <Task finished exception=Error: collected name="Task-\d+">$/,
    );
  });

  test("a Node callback started from a task finds the loop of the run() in progress", async () => {
    const seen: string[] = [];
    let runLoop: EventLoop | undefined;
    await run(async () => {
      const loop = getRunningLoop();
      runLoop = loop;
      await new Promise<void>((resolve) => {
        process.nextTick(() => {
          seen.push(getEventLoop() === loop ? "nextTick: run's loop" : "nextTick: another loop");
          setImmediate(() => {
            seen.push(
              getEventLoop() === loop ? "immediate: run's loop" : "immediate: another loop",
            );
            resolve();
          });
        });
      });
      // Continuations of the task's own promises are still the task's.
      seen.push(currentTask()?.name === "main" ? "continuation: main" : "continuation: lost");
    });
    assert.deepEqual(seen, ["nextTick: run's loop", "immediate: run's loop", "continuation: main"]);
    // With no run() in progress, the process-wide loop again, not the closed one.
    assert.notEqual(getEventLoop(), runLoop);
  });

  test("a task starts without the AsyncLocalStorage values of its creator, or of another task's", async () => {
    const requestId = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    await run(async () => {
      const report = async (task: string) => {
        seen.push(`${task} starts with ${requestId.getStore()}`);
        await sleep(0);
        // A value set inside the task follows the task's own awaits.
        await requestId.run(`${task}'s own`, async () => {
          await sleep(0);
          seen.push(`${task} then has ${requestId.getStore()}`);
        });
      };
      await sleep(0); // resume outside the ready queue's drain, so creating "a" schedules one
      // Both tasks start in one drain of the ready queue, scheduled while "A" was set.
      const a = requestId.run("A", () => createTask(() => report("a")));
      const b = requestId.run("B", () => createTask(() => report("b")));
      await Promise.all([a, b]);
    });
    assert.deepEqual(seen, [
      "a starts with undefined",
      "b starts with undefined",
      "a then has a's own",
      "b then has b's own",
    ]);
  });

  test("two runs with their own virtual clocks in one process do not disturb each other", async () => {
    const logA = new EventLog();
    const logB = new EventLog();
    const [a, b] = await Promise.all([
      run(
        async () => {
          for (let i = 0; i < 3; i++) {
            await sleep(10);
            logA.at("A tick");
          }
          return getRunningLoop().time();
        },
        { clock: new VirtualClock() },
      ),
      run(
        async () => {
          for (let i = 0; i < 2; i++) {
            await sleep(7);
            logB.at("B tick");
          }
          return getRunningLoop().time();
        },
        { clock: new VirtualClock(100) },
      ),
    ]);
    assert.deepEqual([a, b], [30, 114]);
    assert.deepEqual(logA.entries, ["10: A tick", "20: A tick", "30: A tick"]);
    assert.deepEqual(logB.entries, ["107: B tick", "114: B tick"]);
  });

  test("an hour of virtual sleeps and timeouts runs deterministically", async () => {
    const log = new EventLog();
    await runVirtual(async () => {
      const sleeper = (name: string, seconds: number) =>
        createTask(async () => {
          await sleep(seconds);
          log.at(name);
        });
      sleeper("c", 3600);
      sleeper("a", 60);
      sleeper("b", 60); // same deadline: scheduling order
      await sleep(3600);
      await sleep(0);
    });
    assert.deepEqual(log.entries, ["60: a", "60: b", "3600: c"]);
  });

  test("a program exits by itself: no leaked timers or handles", async () => {
    const { code, lines } = await runFixture("exits-by-itself");
    assert.equal(code, 0);
    assert.deepEqual(lines, ["main done"]);
  });

  test("first SIGINT cancels main and run rejects with KeyboardInterrupt", async () => {
    const { code, lines } = await runFixture("sigint", [], (line, child) => {
      if (line === "ready") child.kill("SIGINT");
    });
    assert.deepEqual(lines, ["ready", "main cancelled, cleaning up", "KeyboardInterrupt"]);
    assert.equal(code, 130);
  });

  test("a second SIGINT ends the process at once, killed by SIGINT, when main ignores the first", async () => {
    const { signal, lines } = await runFixture("sigint", ["stubborn"], (line, child) => {
      if (line === "ready" || line === "ignoring the cancellation") child.kill("SIGINT");
    });
    assert.deepEqual(lines, ["ready", "ignoring the cancellation"]);
    assert.equal(signal, "SIGINT");
  });

  test("an uncaught KeyboardInterrupt is printed, then the process dies of SIGINT (as CPython)", async () => {
    const { code, signal, lines, stderr } = await runFixture(
      "sigint",
      ["uncaught"],
      (line, child) => {
        if (line === "ready") child.kill("SIGINT");
      },
    );
    assert.deepEqual(lines, ["ready", "main cancelled, cleaning up"]);
    assert.deepEqual([code, signal], [null, "SIGINT"]);
    assert.match(stderr, /^Uncaught KeyboardInterrupt: interrupted by SIGINT\n/);
  });

  test("an uncaught KeyboardInterrupt is left to the program's own uncaughtException handler", async () => {
    const { code, signal, lines } = await runFixture(
      "sigint",
      ["uncaught", "handler"],
      (line, child) => {
        if (line === "ready") child.kill("SIGINT");
      },
    );
    assert.deepEqual(lines, ["ready", "main cancelled, cleaning up", "handler: KeyboardInterrupt"]);
    assert.deepEqual([code, signal], [3, null]);
  });

  test("bad input: run needs a function", async () => {
    await assert.rejects(
      async () => run(Promise.resolve(1) as never),
      /run\(\) expected a function/,
    );
  });
});

describe("EventLoop", () => {
  test("callSoon runs callbacks in order, outside any task; handles can be cancelled", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const log = new EventLog();
      loop.callSoon((x: string) => log.push(`soon ${x}`), "1");
      const h = loop.callSoon(() => log.push("cancelled"));
      loop.callSoon(() => log.push(`in task: ${getRunningLoop() === loop}`));
      h.cancel();
      assert.equal(h.cancelled(), true);
      await sleep(0);
      assert.deepEqual(log.entries, ["soon 1", "in task: true"]);
    });
  });

  test("callLater and callAt fire in deadline order; when() reports the deadline", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const log = new EventLog();
      const late = loop.callLater(2, () => log.at("later 2"));
      loop.callAt(1, () => log.at("at 1"));
      loop.callLater(-5, () => log.at("negative acts as 0"));
      const cancelled = loop.callLater(1.5, () => log.at("cancelled"));
      cancelled.cancel();
      assert.equal(late.when(), 2);
      await sleep(3);
      assert.deepEqual(log.entries, ["0: negative acts as 0", "1: at 1", "2: later 2"]);
    });
  });

  test("an exception in a callback goes to the exception handler and the loop goes on", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      const seen = captureExceptions();
      loop.callSoon(() => {
        throw new Error("callback broke");
      });
      await sleep(1);
      assert.equal(seen.length, 1);
      assert.equal((seen[0]!.exception as Error).message, "callback broke");
    });
  });

  test("bad input: NaN delay is a RangeError, a non-function callback a TypeError", async () => {
    await runVirtual(async () => {
      const loop = getRunningLoop();
      assert.throws(() => loop.callLater(Number.NaN, () => {}), RangeError);
      assert.throws(
        () => loop.callSoon("nope" as never),
        /callSoon\(\) expected a callback function, got the string "nope"/,
      );
      assert.throws(() => loop.setDefaultExecutor({} as never), TypeError);
    });
  });

  test("debug flag", async () => {
    await run(async () => assert.equal(getRunningLoop().getDebug(), true), {
      debug: true,
      clock: new VirtualClock(),
    });
    await runVirtual(async () => {
      const loop = getRunningLoop();
      assert.equal(loop.getDebug(), false);
      loop.setDebug(true);
      assert.equal(loop.getDebug(), true);
    });
  });

  test("getEventLoop().runUntilComplete runs work on the global loop (seed 001)", async () => {
    const loop = getEventLoop();
    assert.equal(getEventLoop(), loop);
    const log: string[] = [];
    await loop.runUntilComplete(async () => {
      log.push("coroutine 1 start");
      await sleep(0.002);
      log.push("coroutine 1 resumed");
    });
    assert.deepEqual(log, ["coroutine 1 start", "coroutine 1 resumed"]);
    assert.throws(() => getRunningLoop(), RuntimeError);
  });

  test("a closed loop refuses new work", async () => {
    let loop: ReturnType<typeof getRunningLoop> | undefined;
    await runVirtual(async () => {
      loop = getRunningLoop();
    });
    assert.equal(loop!.isClosed(), true);
    assert.throws(() => loop!.callSoon(() => {}), /Event loop is closed/);
  });

  test("a task cancelled while its run() ends is awaited, not leaked", async () => {
    let task: ReturnType<typeof createTask> | undefined;
    await runVirtual(async () => {
      task = createTask(() => sleep(10));
    });
    assert.equal(task!.cancelled(), true);
    await assert.rejects(async () => await task, CancelledError);
  });
});
