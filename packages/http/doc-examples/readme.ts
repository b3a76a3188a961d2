import { ClientSession } from "@asyncio-ts/http";
import { gather, run } from "asyncio-ts";

await run(async () => {
  await using session = new ClientSession({
    limitPerHost: 4,
    timeout: { total: 30, sockRead: 10 },
  });
  const sizes = await gather(
    ...["https://example.com/", "https://example.org/"].map((url) => async () => {
      await using response = await session.get(url); // a cancellation point of this task
      return (await response.bytes()).length;
    }),
  );
  console.log(sizes);
});
