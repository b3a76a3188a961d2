// spawn: create N trivial tasks with createTask, then gather them.
import { createTask, gather, run } from "../../../packages/asyncio-ts/dist/src/index.js";
import { measure, sizeArg, sum } from "../common/measure.mjs";

const n = sizeArg(100_000);

async function work(i) {
  return i;
}

await measure(() =>
  run(async () => {
    const tasks = [];
    for (let i = 0; i < n; i++) tasks.push(createTask(() => work(i)));
    return sum(await gather(tasks));
  }),
);
