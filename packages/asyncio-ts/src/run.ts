/**
 * run(): the entry point of an asyncio-ts program (asyncio.run).
 */

import { inspect } from "node:util";
import type { Clock } from "./core/clock.js";
import { beginRun, endRun, runningLoopOrNull } from "./core/context.js";
import { THREAD_JOIN_TIMEOUT } from "./core/join-executor.js";
import { EventLoop } from "./core/loop.js";
import { disableSlowCallbackMonitor, enableSlowCallbackMonitor } from "./core/slow-callbacks.js";
import type { Task } from "./core/task.js";
import { describe, KeyboardInterrupt, RuntimeError } from "./errors.js";
import { describeAwait, printTaskTree } from "./introspection.js";
import { checkOptions } from "./validate.js";

/** Options of `run`. */
export interface RunOptions {
  /** Debug mode: slow-callback warnings and task creation stacks (also `ASYNCIO_TS_DEBUG=1`). */
  debug?: boolean;
  /** The clock of the new loop; pass a `VirtualClock` (asyncio-ts/testing) in tests. */
  clock?: Clock;
}

/** The SIGINT listener of the `run()` that installed one (only one run at a time owns it). */
let sigintOwner: (() => void) | null = null;

/**
 * Runs `main` as the root task of a new event loop and resolves with its result.
 *
 * When `main` settles, every task still pending on this loop is cancelled and awaited, errors of
 * leftover tasks and never-retrieved task errors are reported to the exception handler, and the
 * default executor is shut down; then the loop is closed, so the process exits by itself.
 * The default executor's calls (`toThread`, `runInExecutor(null, ...)`) still running are waited
 * for at most 300 seconds, as in asyncio; past that a RuntimeWarning is emitted and their
 * threads are terminated (asyncio leaves them running, which in Node would keep the process
 * alive).
 * While it runs, the first SIGINT (Ctrl-C) cancels the main task (and `run` then rejects with
 * `KeyboardInterrupt`); a second one ends the process at once. As in Python, a process ended by
 * Ctrl-C dies of SIGINT (status 130 in a shell, so a shell loop running it stops too): after the
 * second SIGINT, and when the `KeyboardInterrupt` is left uncaught (it is printed first).
 * Calling `run` inside a running loop throws `RuntimeError`.
 *
 * @example
 * ```ts
 * import { run, sleep } from "asyncio-ts";
 * const answer = await run(async () => {
 *   await sleep(0.01);
 *   return 42;
 * });
 * console.log(answer); // 42
 * ```
 */
export async function run<T>(
  main: () => T | PromiseLike<T>,
  options: RunOptions = {},
): Promise<Awaited<T>> {
  if (runningLoopOrNull() !== null) {
    throw new RuntimeError(
      "run() cannot be called from a running event loop; await the work instead",
    );
  }
  if (typeof main !== "function") {
    throw new TypeError(`run() expected a function (like \`() => main()\`), got ${describe(main)}`);
  }
  checkOptions("run()", options, ["debug", "clock"]);
  const debug = options.debug ?? process.env.ASYNCIO_TS_DEBUG === "1";
  const loop = new EventLoop({
    debug,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  const mainTask = loop.createTask(main, { name: "main" });
  beginRun(loop);
  let interrupted = 0;
  const onSigint = (): void => {
    interrupted++;
    if (interrupted === 1 && !mainTask.done()) mainTask.cancel("interrupted by SIGINT");
    else {
      process.removeListener("SIGINT", onSigint);
      dieOfSigint();
    }
  };
  const installsSigint = sigintOwner === null && process.listenerCount("SIGINT") === 0;
  if (installsSigint) {
    sigintOwner = onSigint;
    process.on("SIGINT", onSigint);
  }
  // Debug mode: time blocking code, and print the task tree on SIGUSR2 (`kill -USR2 <pid>`).
  const onSigusr2 = (): void => printTaskTree(loop);
  if (debug) {
    enableSlowCallbackMonitor();
    process.on("SIGUSR2", onSigusr2);
  }
  try {
    await mainTask._nativePromise().catch(() => undefined);
    if (loop._debug) reportPendingTasks(loop);
    await cancelLeftoverTasks(loop);
    loop._unretrieved.sweep();
    await loop.shutdownDefaultExecutor(THREAD_JOIN_TIMEOUT);
  } finally {
    if (debug) {
      disableSlowCallbackMonitor();
      process.removeListener("SIGUSR2", onSigusr2);
    }
    if (installsSigint) {
      process.removeListener("SIGINT", onSigint);
      sigintOwner = null;
    }
    loop.close();
    endRun(loop);
  }
  if (mainTask.cancelled() && interrupted > 0 && mainTask.uncancel() === 0) {
    watchForUncaughtInterrupt();
    throw new KeyboardInterrupt("interrupted by SIGINT");
  }
  return mainTask.result();
}

/**
 * Ends the process as if Ctrl-C had found no handler: killed by SIGINT, which shells report as
 * status 130 and which stops a shell loop running this program (CPython does the same on an
 * uncaught KeyboardInterrupt). Falls back to exit code 130 if someone else listens for SIGINT.
 */
function dieOfSigint(): void {
  if (process.listenerCount("SIGINT") === 0) process.kill(process.pid, "SIGINT");
  // Not reached when the signal's default action ended the process.
  process.exit(130);
}

let interruptWatched = false;

/**
 * Makes an uncaught KeyboardInterrupt end the process by SIGINT instead of Node's usual exit
 * code 1 for an uncaught error. Installed when `run()` first rejects with one; a monitor does not
 * change what Node does with other errors, and it stands aside when the program handles uncaught
 * exceptions itself.
 */
function watchForUncaughtInterrupt(): void {
  if (interruptWatched) return;
  interruptWatched = true;
  process.on("uncaughtExceptionMonitor", (error) => {
    if (!(error instanceof KeyboardInterrupt)) return;
    if (process.listenerCount("uncaughtException") > 0) return;
    // Node prints an uncaught error after its monitors; this process ends first, so print it.
    process.stderr.write(`Uncaught ${inspect(error)}\n`);
    dieOfSigint();
  });
}

/** Debug mode: name every task still pending when main ended, where it was created and what it awaits. */
function reportPendingTasks(loop: EventLoop): void {
  for (const task of loop._pendingTasks()) {
    loop.callExceptionHandler({
      message: "Task was still pending when run() ended; it is cancelled now",
      task,
      awaiting: describeAwait(task),
      ...(task._sourceTraceback === undefined ? {} : { sourceTraceback: task._sourceTraceback }),
    });
  }
}

/** asyncio.runners._cancel_all_tasks: cancel what is left, wait, report their errors. */
async function cancelLeftoverTasks(loop: EventLoop): Promise<void> {
  const leftovers: Task<unknown>[] = loop._pendingTasks();
  if (leftovers.length === 0) return;
  for (const task of leftovers) task.cancel();
  for (const task of leftovers) await task._nativePromise().catch(() => undefined);
  for (const task of leftovers) {
    if (task.cancelled()) continue;
    const exception = task.exception();
    if (exception !== null) {
      loop.callExceptionHandler({
        message: "unhandled exception during run() shutdown",
        exception,
        task,
      });
    }
  }
}
