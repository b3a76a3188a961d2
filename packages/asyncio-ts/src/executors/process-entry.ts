/**
 * Entry script of a `ProcessPoolExecutor` worker process (started with `child_process.fork`
 * and advanced serialization): answers call messages from the pool over the IPC channel.
 * @module
 */
import type { CallMessage, CrashMessage } from "./worker-protocol.js";
import { serializeError } from "./worker-protocol.js";
import { CallRunner } from "./worker-runtime.js";

const send = process.send?.bind(process);
if (send === undefined) throw new Error("asyncio-ts process-entry.js must be started by fork()");

const runner = new CallRunner((reply) => {
  send(reply);
});
process.on("message", (msg: CallMessage) => runner.run(msg));

// The parent went away: nothing will ever be asked of this worker again.
process.on("disconnect", () => process.exit(0));

// Tell the pool what killed us before dying as Node would (exit code 1), so the failed call's
// BrokenExecutorError carries the cause. The pool also copes if this message never arrives.
process.on("uncaughtException", (error) => {
  const crash: CrashMessage = { crash: serializeError(error) };
  try {
    send(crash, undefined, undefined, () => process.exit(1));
  } catch {
    process.exit(1);
  }
  setTimeout(() => process.exit(1), 1000).unref();
});
