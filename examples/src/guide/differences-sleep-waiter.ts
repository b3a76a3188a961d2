import { createTask, run, sleep } from "asyncio-ts";

await run(async () => {
  const task = createTask(async () => {
    const later = sleep(0.5, "later"); // the task's waiter from here on, awaited or not
    later.catch(() => console.log("the sleep that was never awaited got the CancelledError"));
    await new Promise((resolve) => setTimeout(resolve, 50)); // a foreign await
    return "the task finished normally";
  });
  await sleep(0.01);
  task.cancel();
  console.log(await task, "- cancelled:", task.cancelled());
});
