// http with asyncio-ts: one ClientSession, 64 worker tasks in a TaskGroup pulling request
// numbers from a shared counter; each GET's body is read as text.
import { run, taskGroup } from "../../../packages/asyncio-ts/dist/src/index.js";
import { ClientSession } from "../../../packages/http/dist/src/index.js";
import { measure, sizeArg } from "../common/measure.mjs";
import { CONCURRENCY, startServer } from "./server.mjs";

const n = sizeArg(20_000);
const server = await startServer();

await measure(() =>
  run(async () => {
    const session = new ClientSession({ baseUrl: server.url, limit: CONCURRENCY });
    let next = 0;
    let total = 0;
    try {
      await taskGroup(async (tg) => {
        for (let w = 0; w < CONCURRENCY; w++) {
          tg.createTask(async () => {
            while (next < n) {
              const res = await session.get(`item/${next++}`);
              const body = await res.text();
              total += body.length;
            }
          });
        }
      });
    } finally {
      await session.close();
    }
    return total;
  }),
);
server.close();
