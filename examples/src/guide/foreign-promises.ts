import { setTimeout as nodeSleep } from "node:timers/promises";
import { CancelledError, cancellable, createTask, currentTask, run, sleep } from "asyncio-ts";

await run(async () => {
  // 1. Pass the task's AbortSignal to APIs that accept one, so cancelling the task stops the
  //    work itself, and await through cancellable() so the task ends cancelled at once.
  const download = createTask(async () => {
    const { signal } = currentTask()!;
    await cancellable(nodeSleep(10_000, undefined, { signal })); // like fetch(url, { signal })
  });
  await sleep(0.05);
  download.cancel();
  await download.catch(() => {});
  console.log("signal + cancellable:", download.cancelled());

  // 2. Wrap a promise that cannot be stopped with cancellable(): the await ends at once.
  const waiting = createTask(() => cancellable(new Promise((resolve) => setTimeout(resolve, 200))));
  await sleep(0.05);
  waiting.cancel();
  await waiting.catch((e) => console.log("cancellable:", e instanceof CancelledError));

  // 3. Without either, the cancellation waits for the task's next library await.
  const stubborn = createTask(async () => {
    await new Promise((resolve) => setTimeout(resolve, 100)); // not a cancellation point
    console.log("the foreign await finished anyway");
    await sleep(0); // the pending cancellation is delivered here
    console.log("never printed");
  });
  await sleep(0.05);
  stubborn.cancel();
  await stubborn.catch((e) => console.log("stubborn:", e instanceof CancelledError));
});
