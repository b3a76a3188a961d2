// http with got on a keep-alive http.Agent of 64 sockets, 64 loops under Promise.all.
import { Agent } from "node:http";
import got from "got";
import { measure, sizeArg } from "../common/measure.mjs";
import { CONCURRENCY, sixtyFourAtATime, startServer } from "./server.mjs";

const n = sizeArg(20_000);
const server = await startServer();

await measure(async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const client = got.extend({ agent: { http: agent }, retry: { limit: 0 } });
  try {
    return await sixtyFourAtATime(
      n,
      async (i) => (await client(`${server.url}item/${i}`).text()).length,
    );
  } finally {
    agent.destroy();
  }
});
server.close();
