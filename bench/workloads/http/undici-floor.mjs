// http floor: undici's own `request` on an Agent, 64 loops under Promise.all, no library on top.
import { Agent, request } from "undici";
import { measure, sizeArg } from "../common/measure.mjs";
import { CONCURRENCY, sixtyFourAtATime, startServer } from "./server.mjs";

const n = sizeArg(20_000);
const server = await startServer();

await measure(async () => {
  const dispatcher = new Agent({ connections: CONCURRENCY });
  try {
    return await sixtyFourAtATime(n, async (i) => {
      const res = await request(`${server.url}item/${i}`, { dispatcher });
      return (await res.body.text()).length;
    });
  } finally {
    await dispatcher.close();
  }
});
server.close();
