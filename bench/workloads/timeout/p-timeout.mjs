// timeout with p-timeout: pTimeout(op, 10 s) around a trivial operation.
// Shapes as in asyncio-ts.mjs: N calls under Promise.all, or N in a row.
import pTimeout from "p-timeout";
import { measure, modeArg, sizeArg, sumOver } from "../common/measure.mjs";

const n = sizeArg(100_000);
const shape = modeArg(1, ["concurrent", "sequential"]);

async function fastOperation(i) {
  return i;
}

await measure(() => sumOver(n, shape, (i) => pTimeout(fastOperation(i), { milliseconds: 10_000 })));
