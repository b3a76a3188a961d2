import { asCompleted, createTask, FIRST_COMPLETED, gather, run, sleep, wait } from "asyncio-ts";

async function fetch(url: string, seconds: number): Promise<string> {
  await sleep(seconds);
  if (url === "bad") throw new RangeError(`cannot fetch ${url}`);
  return `<${url}>`;
}

await run(async () => {
  // gather: results in argument order; functions are started as child tasks.
  console.log(
    await gather(
      () => fetch("a", 0.2),
      () => fetch("b", 0.1),
    ),
  );

  // returnExceptions: errors become values instead of rejecting the gather.
  const results = await gather([() => fetch("a", 0.1), () => fetch("bad", 0.1)], {
    returnExceptions: true,
  });
  console.log(results.map((r) => (r instanceof Error ? r.message : r)));

  // wait: [done, pending] sets; it never cancels anything itself.
  const tasks = [createTask(() => fetch("slow", 1)), createTask(() => fetch("fast", 0.1))];
  const [done, pending] = await wait(tasks, { returnWhen: FIRST_COMPLETED });
  console.log(done.size, pending.size);
  for (const task of pending) task.cancel();

  // asCompleted: in completion order.
  for (const next of asCompleted([fetch("x", 0.2), fetch("y", 0.1)])) console.log(await next);
});
