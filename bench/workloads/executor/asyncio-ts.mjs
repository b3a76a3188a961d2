// executor with asyncio-ts: N calls of tasks.mjs's `tiny` or `hash` on a ThreadPoolExecutor of
// W workers, written as the seeds write it: run_in_executor for every call, then gather.
// Like every implementation of this workload, the pool is started and warmed up (one call per
// worker) before the clock starts: the figure is the pool's throughput, not thread start-up.
import {
  gather,
  getRunningLoop,
  moduleFunction,
  run,
  ThreadPoolExecutor,
} from "../../../packages/asyncio-ts/dist/src/index.js";
import { measure, modeArg, sizeArg, sum } from "../common/measure.mjs";

const n = sizeArg(20_000);
const mode = modeArg(1, ["tiny", "hash"]);
const workers = Number(modeArg(2, ["2", "1"]));
const fn = moduleFunction(new URL("./tasks.mjs", import.meta.url), mode);

const pool = new ThreadPoolExecutor({ maxWorkers: workers });
await Promise.all(Array.from({ length: workers }, (_, i) => pool.submit(fn, i)));

await measure(() =>
  run(async () => {
    const loop = getRunningLoop();
    const futures = [];
    for (let i = 0; i < n; i++) futures.push(loop.runInExecutor(pool, fn, i));
    return sum(await gather(futures));
  }),
);
await pool.shutdown();
