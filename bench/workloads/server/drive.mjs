// Driver side of every server script: the script starts its server, then calls `driveLoad`,
// which forks load.mjs, warms the server up, and measures N requests (64 connections, keep-alive)
// as one `measure` line. Wall time is the time to serve the N requests; CPU time is the server
// process's own (the load generator's is not counted); the check is the number of 2xx answers.
import { fork } from "node:child_process";
import { measure } from "../common/measure.mjs";

/** Concurrent keep-alive connections of the load generator. */
export const CONNECTIONS = 64;

function load(child, url, amount) {
  return new Promise((resolve, reject) => {
    child.once("message", (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    child.once("exit", (code) => reject(new Error(`load generator exited with code ${code}`)));
    child.send({ url, amount, connections: CONNECTIONS });
  });
}

function loader() {
  return fork(new URL("./load.mjs", import.meta.url), {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
}

/**
 * Warm `url` up with a tenth of `n` requests (JIT, connection setup), then measure `n` requests.
 * @param {string} url the hello-world route
 * @param {number} n requests to measure
 */
export async function driveLoad(url, n) {
  await load(loader(), url, Math.max(1_000, Math.ceil(n / 10)));
  const child = loader();
  // Let the fresh load generator load autocannon before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await measure(async () => {
    const result = await load(child, url, n);
    if (result.non2xx || result.errors || result.timeouts) {
      throw new Error(`load generator saw failures: ${JSON.stringify(result)}`);
    }
    return result.ok;
  });
}
