/**
 * Seed 004, exercise 3: "Rate Limiter — write an async function that limits the number of
 * requests per second."
 *
 * Twelve requests go out through a `RateLimiter({ rate: 4, per: 1, burst: 1 })`: one every
 * 0.25 s, in the order they asked (the last at 2.75 s). A second part shows the
 * per-host form, `KeyedRateLimiter`: two hosts at 2 requests per second each do not slow each
 * other down. Each request is a pretend fetch that takes 0.1 s.
 */
import { gather, getRunningLoop, KeyedRateLimiter, RateLimiter, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** A request that takes 0.1 s (the seed's network call). */
async function request(url: string): Promise<string> {
  await sleep(0.1);
  return `${url} ok`;
}

/** Runs the rate-limited requests and prints when each one was sent. */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const loop = getRunningLoop();
    const t0 = loop.time();
    const at = () => (loop.time() - t0).toFixed(2);

    out("-- 4 requests per second --");
    const limiter = new RateLimiter({ rate: 4, per: 1, burst: 1 });
    const results = await gather(
      Array.from(
        { length: 12 },
        (_, i) => () =>
          limiter.use(() => {
            out(`${at()} s: request ${i}`);
            return request(`/item/${i}`);
          }),
      ),
    );
    out(`${results.length} responses by ${at()} s`);

    out("-- 2 requests per second per host --");
    const perHost = new KeyedRateLimiter<string>({ rate: 2, per: 1, burst: 1 });
    const t1 = loop.time();
    const urls = ["a.example/1", "b.example/1", "a.example/2", "b.example/2", "a.example/3"];
    await gather(
      urls.map(
        (url) => () =>
          perHost.use(url.split("/")[0]!, () => {
            out(`${(loop.time() - t1).toFixed(2)} s: ${url}`);
            return request(url);
          }),
      ),
    );
  }, options);
}

await runIfScript(import.meta.url, main);
