// lock: 100 tasks contend for one Lock, N acquire/release pairs in total; the holder suspends
// once inside the critical section, so every release hands the lock to a waiter.
import { createTask, gather, Lock, run } from "../../../packages/asyncio-ts/dist/src/index.js";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LOCK_TASKS, lockWorker } from "../common/sync-body.mjs";

const n = sizeArg(100_000);
const rounds = Math.ceil(n / LOCK_TASKS);

await measure(() =>
  run(async () => {
    const lock = new Lock();
    const tasks = [];
    for (let t = 0; t < LOCK_TASKS; t++) tasks.push(createTask(() => lockWorker(lock, rounds)));
    return sum(await gather(tasks));
  }),
);
