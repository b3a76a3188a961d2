// semaphore with p-queue: N calls added to a PQueue with concurrency 16.
import PQueue from "p-queue";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LIMIT, work } from "../common/sync-body.mjs";

const n = sizeArg(100_000);

await measure(async () => {
  const queue = new PQueue({ concurrency: LIMIT });
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(queue.add(() => work(i)));
  return sum(await Promise.all(promises));
});
