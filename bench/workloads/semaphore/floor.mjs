// semaphore floor: N async calls through a minimal hand-written FIFO semaphore of 16.
import { FloorSemaphore } from "../common/floor-sync.mjs";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LIMIT, limitedTask } from "../common/sync-body.mjs";

const n = sizeArg(100_000);

await measure(async () => {
  const sem = new FloorSemaphore(LIMIT);
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(limitedTask(sem, i));
  return sum(await Promise.all(promises));
});
