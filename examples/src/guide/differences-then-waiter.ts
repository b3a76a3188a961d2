import { createTask, Future, run, sleep } from "asyncio-ts";

await run(async () => {
  const reply = new Future<string>();
  const task = createTask(async () => {
    // An explicit then() inside a task makes `reply` the task's waiter, like an await would.
    reply.then(
      (value) => console.log("reply:", value),
      () => console.log("reply was cancelled"),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // a foreign await
    return "the task finished normally";
  });
  await sleep(0.01);
  task.cancel(); // cancels the waiter, `reply`, instead of the task's own next await
  console.log(await task);
});
