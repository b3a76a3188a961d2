// server with asyncio-ts on Fastify: the same app as fastify.mjs with the fastifyTasks plugin,
// so the route handler runs as a named task of the run's loop.
import Fastify from "fastify";
import { run } from "../../../packages/asyncio-ts/dist/src/index.js";
import { fastifyTasks } from "../../../packages/http/dist/src/index.js";
import { sizeArg } from "../common/measure.mjs";
import { driveLoad, served } from "./drive.mjs";

const n = sizeArg(50_000);

await run(async () => {
  const app = Fastify();
  await app.register(fastifyTasks);
  app.get("/", async () => {
    served();
    return "hello world";
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  await driveLoad(`${address}/`, n);
  await app.close();
});
