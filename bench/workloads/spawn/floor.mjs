// spawn floor: N bare async function calls awaited with Promise.all (no library).
import { measure, sizeArg, sum } from "../common/measure.mjs";

const n = sizeArg(100_000);

async function work(i) {
  return i;
}

await measure(async () => {
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(work(i));
  return sum(await Promise.all(promises));
});
