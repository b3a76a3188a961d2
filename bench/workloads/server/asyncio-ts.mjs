// server with asyncio-ts: the node:http adapter, every request's handler a named task of the
// run's loop (disconnect and deadline wiring included), returning the body.
import { run } from "../../../packages/asyncio-ts/dist/src/index.js";
import { startServer } from "../../../packages/http/dist/src/index.js";
import { sizeArg } from "../common/measure.mjs";
import { driveLoad, served } from "./drive.mjs";

const n = sizeArg(50_000);
const deadline = process.argv[3] === "deadline" ? 30 : null;

await run(async () => {
  const server = await startServer(
    () => {
      served();
      return "hello world";
    },
    { port: 0, deadline },
  );
  await driveLoad(server.url, n);
  await server.shutdown();
});
