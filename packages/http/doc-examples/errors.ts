import {
  ClientConnectionError,
  ClientError,
  ClientResponseError,
  ClientSession,
  ClientTimeoutError,
  ResponseTooLargeError,
  TooManyRedirectsError,
} from "@asyncio-ts/http";
import { TimeoutError } from "asyncio-ts";

await using session = new ClientSession({
  timeout: { total: 10, connect: 2, sockRead: 5 },
  maxResponseSize: 5_000_000,
  raiseForStatus: true,
});
try {
  const page = await session.get("https://example.com/report");
  console.log(await page.text());
} catch (e) {
  if (e instanceof ClientTimeoutError)
    console.log(`${e.phase} timeout (${e.seconds} s) for ${e.url}`);
  else if (e instanceof TimeoutError) console.log("an outer timeout() scope expired");
  else if (e instanceof ClientResponseError) console.log(`HTTP ${e.status} from ${e.url}`);
  else if (e instanceof TooManyRedirectsError)
    console.log(`redirect loop: ${e.history.join(" -> ")}`);
  else if (e instanceof ResponseTooLargeError) console.log(`more than ${e.limit} bytes`);
  else if (e instanceof ClientConnectionError) console.log(`cannot connect: ${e.message}`, e.cause);
  else if (e instanceof ClientError) console.log(`other client error: ${e.message}`);
  else throw e;
}
