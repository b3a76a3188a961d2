// The local server of the http workload: a bare TCP server that answers every HTTP/1.1 request
// with the same canned keep-alive response. It runs in its own process (so its CPU time is not
// the client's) and is far cheaper than node:http, so the clients, not the server, are measured.
//
// Run directly (`node server.mjs`) it listens on 127.0.0.1, port 0, and prints its port; the
// JavaScript scripts start it with `startServer()`, the Python one with subprocess.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The body every request gets; the workload's checksum is the total of body bytes received. */
export const BODY = "Hello, world!";
const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\nKeep-Alive: timeout=30\r\n\r\n${BODY}`,
);
const END = Buffer.from("\r\n\r\n");

function serve() {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    // The clients send GETs without a body: each "\r\n\r\n" ends one request. A terminator may
    // straddle two reads, so the last 3 bytes of each read are kept for the next one.
    let tail = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      const data = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      let count = 0;
      for (let i = data.indexOf(END); i !== -1; i = data.indexOf(END, i + 4)) count++;
      tail = data.subarray(Math.max(0, data.length - 3));
      if (count === 1) socket.write(RESPONSE);
      else if (count > 1) socket.write(Buffer.concat(Array(count).fill(RESPONSE)));
    });
    socket.on("error", () => {});
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
}

/**
 * Starts the server in a child process and resolves with its base URL and a `close()`.
 * @returns {Promise<{ url: string, origin: string, close: () => void }>}
 */
export function startServer() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (line) => {
      const origin = `http://127.0.0.1:${Number(String(line).trim())}`;
      resolve({ url: `${origin}/`, origin, close: () => child.kill() });
    });
  });
}

/** Concurrency of every client: 64 requests in flight, as in BENCHMARKS.md. */
export const CONCURRENCY = 64;

/**
 * Runs `CONCURRENCY` loops that together call `get(i)` for i in [0, n) and sums what they return.
 * @param {number} n
 * @param {(i: number) => Promise<number>} get resolves with the body length of request i
 */
export async function sixtyFourAtATime(n, get) {
  let next = 0;
  let total = 0;
  const loop = async () => {
    while (next < n) {
      const length = await get(next++);
      total += length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve();
