/** The pretend download of seed 004's examples (gather, wait, as_completed). */
import { sleep } from "asyncio-ts";

/**
 * Waits `delay` seconds (a stand-in for network I/O), then returns "<url> data".
 *
 * @example
 * ```ts
 * import { run } from "asyncio-ts";
 * import { fetch } from "./lib/pretend-fetch.js";
 * console.log(await run(() => fetch("url1", 1))); // "url1 data"
 * ```
 */
export async function fetch(url: string, delay: number): Promise<string> {
  await sleep(delay);
  return `${url} data`; // the seed's f"{url} 데이터"
}
