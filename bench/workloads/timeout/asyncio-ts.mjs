// timeout: N timeout scopes of 10 s around a trivial operation, none of which fires.
// Shape "concurrent" (default): N tasks gathered, each entering one scope.
// Shape "sequential": one task entering N scopes one after another.
// API "timeout" (default) uses timeout(); API "waitFor" uses waitFor().
import {
  createTask,
  gather,
  run,
  timeout,
  waitFor,
} from "../../../packages/asyncio-ts/dist/src/index.js";
import { measure, modeArg, sizeArg, sum } from "../common/measure.mjs";

const n = sizeArg(100_000);
const shape = modeArg(1, ["concurrent", "sequential"]);
const api = modeArg(2, ["timeout", "waitFor"]);

async function fastOperation(i) {
  return i;
}

const scoped =
  api === "timeout"
    ? (i) => timeout(10, async () => fastOperation(i))
    : (i) => waitFor(() => fastOperation(i), 10);

async function concurrent() {
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(createTask(() => scoped(i)));
  return sum(await gather(tasks));
}

async function sequential() {
  let total = 0;
  for (let i = 0; i < n; i++) total += await scoped(i);
  return total;
}

await measure(() => run(shape === "concurrent" ? concurrent : sequential));
