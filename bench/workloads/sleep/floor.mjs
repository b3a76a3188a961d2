// sleep floor: N concurrent bare setTimeout(1000) promises awaited with Promise.all.
import { measure, sizeArg } from "../common/measure.mjs";

const n = sizeArg(1_000_000);

function sleeper() {
  return new Promise((resolve) => setTimeout(resolve, 1000));
}

await measure(async () => {
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(sleeper());
  return (await Promise.all(promises)).length;
});
