/**
 * A worker of a `ThreadPoolExecutor`: a `worker_threads.Worker` running `thread-entry.js`.
 * @module
 */
import { Worker } from "node:worker_threads";
import type { WorkerEvents, WorkerHandle } from "./worker-handle.js";
import type { ReplyMessage } from "./worker-protocol.js";

const ENTRY = new URL("./thread-entry.js", import.meta.url);

/**
 * The worker starts as a one-line script that imports the entry module, not as the module
 * itself: a worker inherits the parent's options, and under `node --input-type=module -e ...`
 * Node refuses any file as a worker's main module (ERR_INPUT_TYPE_NOT_ALLOWED), so every call
 * failed with BrokenExecutorError. An `import()` from a script is not a main module, and the
 * script is valid as CommonJS and as an ES module, whatever `--input-type` says. (Passing a
 * filtered `execArgv` instead, as the process pool does, is refused by Worker as soon as it
 * holds a per-process option such as `--max-old-space-size`.) Messages posted meanwhile wait
 * in the port until the entry module listens.
 */
const BOOT = `import(${JSON.stringify(ENTRY.href)});`;

/** Starts one worker thread. Node queues messages posted before the thread is online. */
export function startThread(events: WorkerEvents): WorkerHandle {
  const worker = new Worker(BOOT, { eval: true });
  // Invariant: `stopping` is set before terminate(), so a deliberate stop never reports `exit`.
  let stopping = false;
  let uncaught: unknown;
  worker.on("message", (reply: ReplyMessage) => events.message(reply));
  worker.on("messageerror", (error) => events.undeliverable(error));
  // An uncaught error in the worker (a throw in a timer, a rejected promise nobody handled):
  // Node emits `error`, then `exit` with code 1.
  worker.on("error", (error) => {
    uncaught = error;
  });
  worker.on("exit", (code) => {
    if (!stopping) events.exit(code, uncaught);
  });
  return {
    send: (msg, transfer) => worker.postMessage(msg, transfer as never[]),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}
