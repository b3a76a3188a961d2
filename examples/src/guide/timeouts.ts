import { getRunningLoop, run, sleep, TimeoutError, timeout, waitFor } from "asyncio-ts";

await run(async () => {
  // waitFor: one awaitable, cancelled (and waited for) when the time is up.
  try {
    await waitFor(() => sleep(10), 0.1);
  } catch (error) {
    console.log(error instanceof TimeoutError, error instanceof Error && error.message);
  }

  // timeout: a deadline for a whole block; `cm` can move it.
  const result = await timeout(0.1, async (cm) => {
    cm.reschedule(getRunningLoop().time() + 0.3); // a little more time
    await sleep(0.2);
    return "finished in time";
  });
  console.log(result);

  // Nested scopes: the inner, shorter deadline fires; the outer scope is not affected.
  await timeout(1, async (outer) => {
    try {
      await timeout(0.1, () => sleep(0.5));
    } catch (error) {
      console.log(
        "inner timed out:",
        error instanceof TimeoutError,
        "outer expired:",
        outer.expired(),
      );
    }
  });
});
