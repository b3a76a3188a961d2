import { createTask, run, shield, sleep, TimeoutError, waitFor } from "asyncio-ts";

await run(async () => {
  // A write that must finish even if the caller gives up waiting for it.
  const save = createTask(async () => {
    await sleep(0.2);
    console.log("saved");
    return "ok";
  });
  try {
    await waitFor(shield(save), 0.1); // the timeout cancels the shield, not the save
  } catch (error) {
    console.log("gave up waiting:", error instanceof TimeoutError);
  }
  console.log(await save);
});
