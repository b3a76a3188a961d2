/**
 * A worker of a `ThreadPoolExecutor`: a `worker_threads.Worker` running `thread-entry.js`.
 * @module
 */
import { Worker } from "node:worker_threads";
import type { WorkerEvents, WorkerHandle } from "./worker-handle.js";
import type { ReplyMessage } from "./worker-protocol.js";

const ENTRY = new URL("./thread-entry.js", import.meta.url);

/** Starts one worker thread. Node queues messages posted before the thread is online. */
export function startThread(events: WorkerEvents): WorkerHandle {
  const worker = new Worker(ENTRY);
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
