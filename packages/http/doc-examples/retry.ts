import { ClientSession } from "@asyncio-ts/http";

// GET, HEAD, OPTIONS, PUT and DELETE are retried on connection errors, connect/read timeouts
// and 408/429/500/502/503/504; Retry-After is honoured up to maxRetryAfter seconds.
await using session = new ClientSession({
  retry: { attempts: 4, backoff: 0.2, factor: 2, maxBackoff: 5, maxRetryAfter: 30 },
});
const response = await session.get("https://example.com/flaky");
console.log(response.status, response.redirects);
