import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { ClientSession } from "@asyncio-ts/http";

await using session = new ClientSession({
  maxResponseSize: 1_000_000_000,
  timeout: { sockRead: 30 },
});
const response = await session.get("https://example.com/dataset.csv");
const file = createWriteStream("dataset.csv");
// Chunks arrive as the server sends them; a slow loop slows the socket down (backpressure).
// Leaving the loop early (break, an error, a cancellation) releases the rest of the body.
for await (const chunk of response) {
  if (!file.write(chunk)) await once(file, "drain");
}
file.end();
