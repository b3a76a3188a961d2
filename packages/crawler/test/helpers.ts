/**
 * Test helpers: spawn the real `aio` binary, purpose-built local servers that log every
 * request (arrival, end, concurrency), temp directories, read-only looks into a store.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

/** The `aio` binary (packages/crawler/bin/aio.js) seen from dist/test/. */
export const AIO = fileURLToPath(new URL("../../bin/aio.js", import.meta.url));

export interface AioResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `aio args...` as a child process (stdout/stderr piped, collected on the object). */
export function spawnAio(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): ChildProcess & { out: () => AioResult } {
  const child = spawn(process.execPath, [AIO, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  }) as ChildProcess & { out: () => AioResult };
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => {
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  child.out = () => ({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
  return child;
}

/** Waits for a spawned child to exit and returns what it printed. */
export function exited(
  child: ChildProcess & { out: () => AioResult },
  timeoutSeconds = 30,
): Promise<AioResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`aio did not exit within ${timeoutSeconds} s; stderr: ${child.out().stderr}`),
      );
    }, timeoutSeconds * 1000);
    child.once("close", () => {
      clearTimeout(timer);
      resolve(child.out());
    });
  });
}

/** Runs `aio args...` to completion (optionally with stdin text). */
export async function runAio(
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<AioResult> {
  const child = spawnAio(args, options);
  child.stdin!.end(options.input ?? "");
  return exited(child);
}

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "aio-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a test route answers. `delay` in seconds. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delay?: number;
}

/** One request a {@link TestServer} saw. Times from performance.now(), milliseconds. */
export interface Logged {
  path: string;
  start: number;
  end: number;
  /** Requests in flight on this server when this one arrived (itself included). */
  concurrent: number;
}

export interface TestServer {
  url: string;
  origin: string;
  log: Logged[];
  maxConcurrent: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 answering `route(path)`, logging every request. */
export async function startServer(
  route: (path: string, req: IncomingMessage) => Reply,
): Promise<TestServer> {
  let inFlight = 0;
  const state = { maxConcurrent: 0 };
  const log: Logged[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    const entry: Logged = {
      path: req.url ?? "/",
      start: performance.now(),
      end: Number.NaN,
      concurrent: inFlight,
    };
    log.push(entry);
    const reply = route(req.url ?? "/", req);
    const body = reply.body ?? "";
    const send = () => {
      inFlight--;
      entry.end = performance.now();
      res.writeHead(reply.status ?? 200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": Buffer.byteLength(body),
        ...reply.headers,
      });
      res.end(body);
    };
    if (reply.delay) setTimeout(send, reply.delay * 1000);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    log,
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An HTML page linking to `links`. */
export function page(title: string, links: string[]): string {
  return `<html><head><title>${title}</title></head><body>${links.map((l) => `<a href="${l}">${l}</a>`).join(" ")}</body></html>`;
}

/** Runs `fn` on the store at `path`, opened read-only (works while a crawl writes: WAL). */
export function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Polls `predicate` every 20 ms until it holds (or fails after `timeoutSeconds`). */
export async function until(predicate: () => boolean, timeoutSeconds = 15): Promise<void> {
  const deadline = performance.now() + timeoutSeconds * 1000;
  while (!predicate()) {
    if (performance.now() > deadline)
      throw new Error(`condition not met within ${timeoutSeconds} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One request start written by the crawler under `AIO_TRACE` (t: epoch milliseconds). */
export interface TraceLine {
  t: number;
  host: string;
  url: string;
  inFlight: number;
  total: number;
}

/** Reads an `AIO_TRACE` file. */
export function readTrace(path: string): TraceLine[] {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as TraceLine);
}
