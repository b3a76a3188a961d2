// sleep: N concurrent tasks each sleeping 1 s, gathered (the seeds' 10,000-sleeps demo, scaled).
import { createTask, gather, run, sleep } from "../../../packages/asyncio-ts/dist/src/index.js";
import { measure, sizeArg } from "../common/measure.mjs";

const n = sizeArg(1_000_000);

async function sleeper() {
  await sleep(1);
}

await measure(() =>
  run(async () => {
    const tasks = [];
    for (let i = 0; i < n; i++) tasks.push(createTask(sleeper));
    return (await gather(tasks)).length;
  }),
);
