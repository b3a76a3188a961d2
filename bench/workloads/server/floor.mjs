// server floor: bare node:http, the hello-world route written the usual way.
import { createServer } from "node:http";
import { sizeArg } from "../common/measure.mjs";
import { driveLoad, served } from "./drive.mjs";

const n = sizeArg(50_000);
const server = createServer((_req, res) => {
  served();
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
  res.end("hello world");
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
await driveLoad(`http://127.0.0.1:${server.address().port}/`, n);
server.closeAllConnections();
server.close();
