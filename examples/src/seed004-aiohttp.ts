/**
 * Seed 004 §9, "aiohttp 사용" (using aiohttp): one session, three pages fetched concurrently
 * with gather, and each page's size printed.
 *
 * ```python
 * async def fetch(session, url):
 *     async with session.get(url) as response:
 *         return await response.text()
 *
 * async def main():
 *     urls = ["https://example.com", "https://httpbin.org/get", "https://api.github.com"]
 *     async with aiohttp.ClientSession() as session:
 *         tasks = [fetch(session, url) for url in urls]
 *         results = await asyncio.gather(*tasks)
 *         for url, result in zip(urls, results):
 *             print(f"{url}: {len(result)} bytes")
 *
 * asyncio.run(main())
 * ```
 *
 * `async with session.get(url) as response` becomes `await using response = await
 * session.get(url)` (the response is released at the end of the block), and `async with
 * aiohttp.ClientSession()` becomes `await using session = new ClientSession()`. The three sites
 * are served by a local server this program starts, with bodies shaped like the real ones.
 */

import { ClientSession } from "@asyncio-ts/http";
import { gather } from "asyncio-ts";
import { startLocalServer } from "./lib/local-server.js";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Stand-ins for example.com, httpbin.org/get and api.github.com (ASCII, so length = bytes). */
const SITES: Record<string, { type: string; body: string }> = {
  "/": {
    type: "text/html; charset=UTF-8",
    body: "<!doctype html><html><head><title>Example Domain</title></head><body><h1>Example Domain</h1><p>This domain is for use in illustrative examples in documents.</p></body></html>",
  },
  "/get": {
    type: "application/json",
    body: JSON.stringify(
      { args: {}, headers: { Accept: "*/*", Host: "httpbin.org" }, url: "https://httpbin.org/get" },
      null,
      2,
    ),
  },
  "/api": {
    type: "application/json; charset=utf-8",
    body: JSON.stringify(
      {
        current_user_url: "https://api.github.com/user",
        emojis_url: "https://api.github.com/emojis",
      },
      null,
      2,
    ),
  },
};

async function fetch(session: ClientSession, url: string): Promise<string> {
  await using response = await session.get(url);
  return await response.text();
}

/** Fetches the three pages at once and prints each one's size. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  const server = await startLocalServer(
    (url) => SITES[url.pathname] ?? { type: "text/plain", body: "not found" },
  );
  try {
    await runProgram(async () => {
      const urls = [server.url, `${server.url}get`, `${server.url}api`];
      await using session = new ClientSession();
      const tasks = urls.map((url) => () => fetch(session, url));
      const results = await gather(...tasks);
      urls.forEach((url, i) => {
        out(`${url}: ${results[i]!.length} bytes`);
      });
    }, options);
  } finally {
    await server.close();
  }
}

await runIfScript(import.meta.url, main);
