// semaphore with async-mutex: N async calls through new Semaphore(16).
import { Semaphore } from "async-mutex";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LIMIT, work } from "../common/sync-body.mjs";

const n = sizeArg(100_000);

async function limitedTask(sem, i) {
  const [, release] = await sem.acquire();
  try {
    return await work(i);
  } finally {
    release();
  }
}

await measure(async () => {
  const sem = new Semaphore(LIMIT);
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(limitedTask(sem, i));
  return sum(await Promise.all(promises));
});
