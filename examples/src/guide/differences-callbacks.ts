import { createTask, currentTask, run, sleep } from "asyncio-ts";

await run(async () => {
  const worker = createTask(
    async () => {
      const me = currentTask()?.name; // read it here, in the task's own code
      process.nextTick(() => {
        // A Node callback: whether it runs inside the task depends on the Node version,
        // so use the task read above instead of calling currentTask() here.
        console.log(`callback registered by ${me}`);
      });
      await sleep(0);
      console.log(`after the await, still in ${currentTask()?.name}`);
    },
    { name: "worker" },
  );
  await worker;
});
