/**
 * Entry script of a `ThreadPoolExecutor` worker thread: answers call messages from the pool.
 * Loaded by `new Worker(...)`, never imported by user code.
 * @module
 */
import { parentPort } from "node:worker_threads";
import type { CallMessage } from "./worker-protocol.js";
import { CallRunner } from "./worker-runtime.js";

const port = parentPort;
if (port === null) throw new Error("asyncio-ts thread-entry.js must run in a worker thread");

const runner = new CallRunner((reply, transfer) => port.postMessage(reply, transfer as never[]));
port.on("message", (msg: CallMessage) => runner.run(msg));
