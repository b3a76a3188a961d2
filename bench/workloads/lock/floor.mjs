// lock floor: 100 async workers contend for a minimal hand-written FIFO lock (a semaphore of 1).
import { FloorSemaphore } from "../common/floor-sync.mjs";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LOCK_TASKS, lockWorker } from "../common/sync-body.mjs";

const n = sizeArg(100_000);
const rounds = Math.ceil(n / LOCK_TASKS);

await measure(async () => {
  const lock = new FloorSemaphore(1);
  const promises = [];
  for (let t = 0; t < LOCK_TASKS; t++) promises.push(lockWorker(lock, rounds));
  return sum(await Promise.all(promises));
});
