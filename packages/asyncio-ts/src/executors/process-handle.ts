/**
 * A worker of a `ProcessPoolExecutor`: a child process started with `child_process.fork`,
 * advanced (structured clone) serialization over its IPC channel, running `process-entry.js`.
 * @module
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { workerExecArgv } from "./exec-argv.js";
import type { WorkerEvents, WorkerHandle } from "./worker-handle.js";
import { type CrashMessage, deserializeError, type ReplyMessage } from "./worker-protocol.js";

const ENTRY = fileURLToPath(new URL("./process-entry.js", import.meta.url));

/** The parent's runtime options, without those about its own entry point or debugger. */
let execArgv: string[] | undefined;

/** Starts one worker process. Node queues messages sent before the child is ready. */
export function startProcess(events: WorkerEvents): WorkerHandle {
  execArgv ??= workerExecArgv(process.execArgv);
  const child = fork(ENTRY, [], { serialization: "advanced", stdio: "inherit", execArgv });
  // Invariant: `stopping` is set before the kill, so a deliberate stop never reports `exit`.
  let stopping = false;
  let uncaught: unknown;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("message", (msg: ReplyMessage | CrashMessage) => {
    if ("crash" in msg) uncaught = deserializeError(msg.crash);
    else events.message(msg);
  });
  child.on("error", (error) => {
    uncaught ??= error; // failed to spawn, or the channel broke
  });
  child.on("exit", (code, signal) => {
    if (!stopping) events.exit(code ?? signal ?? "unknown", uncaught);
  });
  return {
    // Transfer lists do not apply to a pipe: the values are copied.
    send: (msg) => {
      child.send(msg);
    },
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
    terminate: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.ref(); // an idle child is unreferenced: without this, nobody waits for its exit
        child.kill("SIGKILL");
      }
      await exited;
    },
  };
}
