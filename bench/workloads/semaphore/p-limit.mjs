// semaphore with p-limit: N calls through pLimit(16).
import pLimit from "p-limit";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { LIMIT, work } from "../common/sync-body.mjs";

const n = sizeArg(100_000);

await measure(async () => {
  const limit = pLimit(LIMIT);
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(limit(() => work(i)));
  return sum(await Promise.all(promises));
});
