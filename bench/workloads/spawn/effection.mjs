// spawn with Effection: spawn N trivial child operations, then wait for each.
import { run, spawn } from "effection";
import { measure, sizeArg } from "../common/measure.mjs";

const n = sizeArg(100_000);

// biome-ignore lint/correctness/useYield: a trivial operation that returns at once, like `async () => i`.
function* work(i) {
  return i;
}

await measure(() =>
  run(function* () {
    const tasks = [];
    for (let i = 0; i < n; i++) tasks.push(yield* spawn(() => work(i)));
    let total = 0;
    for (const task of tasks) total += yield* task;
    return total;
  }),
);
