// executor floor: bare worker_threads, no library. W workers, one call in flight per worker,
// an array queue, promises settled from the reply: the least any pool of this design can do.
// The workers are warmed up (one call each) before the clock starts, as in every implementation.
import { Worker } from "node:worker_threads";
import { measure, modeArg, sizeArg, sum } from "../common/measure.mjs";

const n = sizeArg(20_000);
const name = modeArg(1, ["tiny", "hash"]);
const workers = Number(modeArg(2, ["2", "1"]));
const script = new URL("./floor-worker.mjs", import.meta.url);

const pending = new Map(); // id -> resolve
const queue = [];
let head = 0;
let nextId = 0;
const pool = Array.from({ length: workers }, () => {
  const worker = new Worker(script);
  worker.on("message", ([id, value]) => {
    pending.get(id)(value);
    pending.delete(id);
    if (head < queue.length) worker.postMessage(queue[head++]);
    else idle.push(worker);
  });
  return worker;
});
const idle = [...pool];

function call(arg) {
  const id = nextId++;
  const promise = new Promise((resolve) => pending.set(id, resolve));
  const message = [id, name, arg];
  if (idle.length > 0) idle.pop().postMessage(message);
  else queue.push(message);
  return promise;
}

await Promise.all(pool.map((_, i) => call(i)));
await measure(async () => {
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(call(i));
  return sum(await Promise.all(promises));
});
await Promise.all(pool.map((w) => w.terminate()));
