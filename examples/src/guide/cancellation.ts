import { CancelledError, createTask, run, sleep } from "asyncio-ts";

await run(async () => {
  const worker = createTask(async () => {
    try {
      for (let i = 1; ; i++) {
        await sleep(0.1); // every library await is a cancellation point
        console.log(`tick ${i}`);
      }
    } catch (error) {
      if (error instanceof CancelledError) console.log(`cancelled: ${error.message}`);
      throw error; // always re-throw a CancelledError
    } finally {
      console.log("cleanup runs too");
    }
  });

  await sleep(0.25);
  worker.cancel("enough ticks");
  try {
    await worker;
  } catch (error) {
    console.log(error instanceof CancelledError, worker.cancelled());
  }
});
