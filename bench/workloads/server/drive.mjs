// Driver side of every server script. The script starts its server, counts each response with
// `served()` in its handler, and calls `driveLoad`, which loads the server with wrk (C, one
// thread, 64 keep-alive connections: it outruns a single Node process, so the server is the
// bottleneck and its throughput is what the time measures; autocannon, in Node, is the fallback
// when wrk is not installed). After a warm-up of a tenth of N, the clock runs until the server
// has answered N requests (stopping wrk afterwards is not timed); wall time is that, CPU time is
// the server process's alone, and a run whose load generator saw errors or non-2xx answers
// exits with code 1, which fails it. wrk's request
// timeout is raised from 2 s to 60 s: on a shared, overloaded machine a few requests wait
// seconds for a CPU, which is latency, not a server error.
import { spawn, spawnSync } from "node:child_process";
import { measure } from "../common/measure.mjs";

/** Concurrent keep-alive connections of the load generator. */
export const CONNECTIONS = 64;

const hasWrk = spawnSync("wrk", ["--version"]).error === undefined;

let count = 0;
let target = Number.POSITIVE_INFINITY;
let reached = () => {};

/** Call once per request in the server's handler (a counter and a comparison). */
export function served() {
  if (++count === target) reached();
}

/** Waits until the handler has counted `amount` more responses. */
function whenServed(amount) {
  count = 0;
  target = amount;
  return new Promise((resolve) => {
    reached = resolve;
  });
}

/** Starts the load generator; returns a function that stops it and resolves with its counts. */
function startLoad(url) {
  const child = hasWrk
    ? spawn("wrk", ["-t1", `-c${CONNECTIONS}`, "-d600s", "--timeout", "60s", url], {
        stdio: ["ignore", "pipe", "inherit"],
      })
    : spawn(
        process.execPath,
        [new URL("./autocannon-load.mjs", import.meta.url).pathname, url, String(CONNECTIONS)],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return async () => {
    child.kill("SIGINT"); // both print their summary on SIGINT
    await exited;
    return out;
  };
}

/** Errors the load generator reported (wrk's "Non-2xx" and "Socket errors" lines, or autocannon's). */
function failures(out) {
  const lines = out.split("\n").filter((l) => /Non-2xx|Socket errors|errors \(/.test(l));
  return lines.filter((l) => !/^\s*0 errors \(0 non-2xx\)/.test(l));
}

/** Stops the load generator and throws if it saw any failure. */
async function stopAndCheck(stop) {
  const bad = failures(await stop());
  if (bad.length > 0) throw new Error(`load generator saw failures: ${bad.join("; ")}`);
}

/**
 * Warm `url` up with a tenth of `n` requests, then measure the time to serve `n` requests.
 * The clock stops at the n-th response: stopping the load generator (wrk checks its stop flag
 * every 100 ms, while the server goes on answering) is outside the measurement. A failure the
 * load generator reports afterwards still fails the run (exit code 1).
 * @param {string} url the hello-world route
 * @param {number} n requests to measure
 */
export async function driveLoad(url, n) {
  const warm = whenServed(Math.max(1_000, Math.ceil(n / 10)));
  const stopWarm = startLoad(url);
  await warm;
  await stopAndCheck(stopWarm);
  let stop;
  await measure(async () => {
    const done = whenServed(n);
    stop = startLoad(url);
    await done;
    return n;
  });
  try {
    await stopAndCheck(stop);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
