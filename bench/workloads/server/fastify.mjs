// server anchor: bare Fastify 5, the hello-world route as an async handler.
import Fastify from "fastify";
import { sizeArg } from "../common/measure.mjs";
import { driveLoad, served } from "./drive.mjs";

const n = sizeArg(50_000);
const app = Fastify();
app.get("/", async () => {
  served();
  return "hello world";
});
const address = await app.listen({ port: 0, host: "127.0.0.1" });
await driveLoad(`${address}/`, n);
await app.close();
