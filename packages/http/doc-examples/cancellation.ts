import { ClientSession } from "@asyncio-ts/http";
import { createTask, run, sleep, TimeoutError, timeout } from "asyncio-ts";

await run(async () => {
  await using session = new ClientSession();

  // A deadline around several steps: whatever is in flight when it passes is aborted.
  try {
    await timeout(3, async () => {
      const index = await (await session.get("https://example.com/index.json")).json();
      const detail = await session.get("https://example.com/detail.json");
      return [index, await detail.json()];
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }

  // Cancelling a task aborts its request at once and frees the connection.
  const download = createTask(async () => (await session.get("https://example.com/big")).bytes());
  await sleep(0.5);
  download.cancel("not needed any more");
});
