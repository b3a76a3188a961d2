import { createTask, run } from "asyncio-ts";

await run(async () => {
  const viaPromise = createTask(async () => 1, { eagerStart: true });
  const plain = createTask(() => 2, { eagerStart: true });
  // asyncio: both coroutines return without suspending, so both tasks are done here.
  console.log(`async function: done=${viaPromise.done()}, plain function: done=${plain.done()}`);
  await Promise.resolve();
  console.log(`one microtask later: done=${viaPromise.done()}`);
});
