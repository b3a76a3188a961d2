import { CancelledError, createTask, Future, run, sleep } from "asyncio-ts";

await run(async () => {
  const ready = new Future<string>();
  ready.setResult("already done");
  const task = createTask(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50)); // cancel() arrives meanwhile
    try {
      await ready; // done, but still a cancellation point: the pending cancel is delivered
      console.log("asyncio would get here: awaiting a done future does not suspend");
    } catch (error) {
      console.log("CancelledError at an await of a done future:", error instanceof CancelledError);
      throw error;
    }
  });
  await sleep(0.01);
  task.cancel();
  await task.catch(() => {});
  console.log("task cancelled:", task.cancelled());
});
