// semaphore: N tasks through a Semaphore(16); each holds a permit across one suspension.
// Written as the seeds' Semaphore example: gather over N functions, each started as a task.
import { gather, run, Semaphore } from "../../../packages/asyncio-ts/dist/src/index.js";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LIMIT, limitedTask } from "../common/sync-body.mjs";

const n = sizeArg(100_000);

await measure(() =>
  run(async () => {
    const sem = new Semaphore(LIMIT);
    const jobs = [];
    for (let i = 0; i < n; i++) jobs.push(() => limitedTask(sem, i));
    return sum(await gather(jobs));
  }),
);
