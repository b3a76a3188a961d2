// timeout floor: bare setTimeout/clearTimeout pairs of 10 s around a trivial operation.
// Shapes as in asyncio-ts.mjs: N async calls under Promise.all, or N in a row.
import { measure, modeArg, sizeArg, sumOver } from "../common/measure.mjs";

const n = sizeArg(100_000);
const shape = modeArg(1, ["concurrent", "sequential"]);

async function fastOperation(i) {
  return i;
}

function expire() {
  throw new Error("the 10 s deadline fired, which the workload never expects");
}

async function scoped(i) {
  const timer = setTimeout(expire, 10_000);
  try {
    return await fastOperation(i);
  } finally {
    clearTimeout(timer);
  }
}

await measure(() => sumOver(n, shape, scoped));
