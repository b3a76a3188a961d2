import { createTask, Future, getRunningLoop, run, sleep } from "asyncio-ts";

await run(async () => {
  const fut = new Future<number>();
  const order: string[] = [];
  createTask(async () => {
    await fut; // registered first
    order.push("awaiting task resumed");
  });
  await sleep(0);
  fut.addDoneCallback(() => order.push("done callback")); // registered second
  getRunningLoop().callSoon(() => order.push("callSoon"));
  fut.setResult(1);
  await sleep(0);
  // asyncio: callSoon, awaiting task resumed, done callback (one FIFO queue).
  console.log(order.join(", "));
});
