// Worker side of the executor floor: answer each [id, name, arg] message with [id, result].
import { parentPort } from "node:worker_threads";
import { hash, tiny } from "./tasks.mjs";

const tasks = { hash, tiny };
parentPort.on("message", ([id, name, arg]) => parentPort.postMessage([id, tasks[name](arg)]));
