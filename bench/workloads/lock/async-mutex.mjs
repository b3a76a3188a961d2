// lock with async-mutex: 100 async workers contend for one Mutex, N acquire/release in total.
import { Mutex } from "async-mutex";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LOCK_TASKS, work } from "../common/sync-body.mjs";

const n = sizeArg(100_000);
const rounds = Math.ceil(n / LOCK_TASKS);

async function worker(mutex) {
  let held = 0;
  for (let r = 0; r < rounds; r++) {
    const release = await mutex.acquire();
    try {
      held += await work(1);
    } finally {
      release();
    }
  }
  return held;
}

await measure(async () => {
  const mutex = new Mutex();
  const promises = [];
  for (let t = 0; t < LOCK_TASKS; t++) promises.push(worker(mutex));
  return sum(await Promise.all(promises));
});
