// The local site of the crawl workload: N HTML pages (`/` and `/p/1` .. `/p/N-1`) in a fixed
// link graph, served by a bare TCP server in its own process (far cheaper than node:http, so
// the crawlers, not the server, are measured). robots.txt is a 404 (no rules).
//
// Page i links to i+1 (so every page is reachable), 2i+1, 3i+2, i+17, (7i+3) mod N and `/`:
// six links, a few duplicates across pages, as on a real site. Each page is about 1 KiB.
//
// Run directly (`node site.mjs N`) it listens on 127.0.0.1, port 0, and prints its port; the
// JavaScript scripts start it with `startSite(n)`, the Python ones with subprocess.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const END = Buffer.from("\r\n\r\n");

/** The pages of an n-page site, each a ready HTTP response, and the 404 response. */
function responses(n) {
  const filler = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(8);
  const respond = (status, type, body) =>
    Buffer.from(
      `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nKeep-Alive: timeout=30\r\n\r\n${body}`,
    );
  const pages = new Map();
  for (let i = 0; i < n; i++) {
    const targets = [i + 1, 2 * i + 1, 3 * i + 2, i + 17, (7 * i + 3) % n].filter(
      (t) => t > 0 && t < n,
    );
    const links = targets.map((t) => `<li><a href="/p/${t}">Page ${t}</a></li>`).join("");
    const body = `<!doctype html><html><head><title>Page ${i}</title></head><body><h1>Page ${i}</h1><ul>${links}<li><a href="/">Home</a></li></ul>${filler}</body></html>`;
    pages.set(i === 0 ? "/" : `/p/${i}`, respond("200 OK", "text/html; charset=utf-8", body));
  }
  return { pages, notFound: respond("404 Not Found", "text/plain", "not found") };
}

function serve(n) {
  const { pages, notFound } = responses(n);
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      const out = [];
      for (let end = buffered.indexOf("\r\n\r\n"); end !== -1; end = buffered.indexOf("\r\n\r\n")) {
        const line = buffered.slice(0, buffered.indexOf("\r\n"));
        buffered = buffered.slice(end + END.length);
        const path = line.split(" ")[1] ?? "/";
        out.push(pages.get(path.split("?")[0]) ?? notFound);
      }
      if (out.length === 1) socket.write(out[0]);
      else if (out.length > 1) socket.write(Buffer.concat(out));
    });
    socket.on("error", () => {});
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
}

/**
 * Starts an n-page site in a child process; resolves with its base URL and a `close()`.
 * @param {number} n
 * @returns {Promise<{ url: string, close: () => void }>}
 */
export function startSite(n) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), String(n)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (line) => {
      resolve({
        url: `http://127.0.0.1:${Number(String(line).trim())}/`,
        close: () => child.kill(),
      });
    });
  });
}

/** Requests in flight for every crawler, as in BENCHMARKS.md. */
export const CONCURRENCY = 64;

if (process.argv[1] === fileURLToPath(import.meta.url)) serve(Number(process.argv[2] ?? 10_000));
