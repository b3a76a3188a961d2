import { CancelledError, ExceptionGroup, run, sleep, taskGroup } from "asyncio-ts";

await run(async () => {
  // Normal case: the group waits for all its children.
  const results = await taskGroup(async (tg) => {
    const a = tg.createTask(() => sleep(0.1, "a"));
    const b = tg.createTask(() => sleep(0.2, "b"));
    return [a, b];
  });
  console.log(results.map((t) => t.result()));

  // A failing child cancels its siblings; the errors come out together.
  try {
    await taskGroup(async (tg) => {
      tg.createTask(async () => {
        try {
          await sleep(10);
        } catch (error) {
          if (error instanceof CancelledError) console.log("sibling cancelled");
          throw error;
        }
      });
      tg.createTask(async () => {
        await sleep(0.1);
        throw new RangeError("bad record");
      });
    });
  } catch (error) {
    if (!(error instanceof ExceptionGroup)) throw error;
    console.log(error.exceptions.map((e) => String(e)));
  }
});
