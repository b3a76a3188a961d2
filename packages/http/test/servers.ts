/**
 * Local HTTP servers for the tests, with the faults the client must survive. Each binds to
 * 127.0.0.1 on port 0, records what it saw, and `close()` destroys every socket so the test
 * process exits by itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse, server: TestServer) => void;

/** A running test server. */
export class TestServer {
  /** Base URL, ending with "/". */
  url = "";
  /** Connections open right now, and the most seen at once. */
  openConnections = 0;
  maxOpenConnections = 0;
  /** Requests being answered right now, and the most at once. */
  activeRequests = 0;
  maxActiveRequests = 0;
  /** Connections accepted in total. */
  connections = 0;
  /** Requests received, by path. */
  readonly hits = new Map<string, number>();
  /** Paths of requests whose connection the client closed before the response ended. */
  readonly aborted: string[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  // Resolvers waiting for the next abort seen by the server.
  #abortWaiters: (() => void)[] = [];

  constructor(handler: Handler) {
    this.#server = createServer((req, res) => {
      const path = req.url ?? "/";
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      this.activeRequests++;
      this.maxActiveRequests = Math.max(this.maxActiveRequests, this.activeRequests);
      res.on("close", () => {
        this.activeRequests--;
        if (!res.writableFinished) {
          this.aborted.push(path);
          for (const w of this.#abortWaiters.splice(0)) w();
        }
      });
      handler(req, res, this);
    });
    this.#server.on("connection", (socket) => {
      this.connections++;
      this.openConnections++;
      this.maxOpenConnections = Math.max(this.maxOpenConnections, this.openConnections);
      this.#sockets.add(socket);
      socket.on("close", () => {
        this.openConnections--;
        this.#sockets.delete(socket);
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    this.url = `http://127.0.0.1:${address.port}/`;
    return this;
  }

  /** Resolves when the server sees a client abort (at once if one was seen already). */
  waitForAbort(): Promise<void> {
    if (this.aborted.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#abortWaiters.push(resolve));
  }

  hitCount(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Starts a server with `handler`. */
export function serve(handler: Handler): Promise<TestServer> {
  return new TestServer(handler).listen();
}

/** Runs `body` with a fresh server, closing it afterwards whatever happens. */
export async function withServer<T>(
  handler: Handler,
  body: (server: TestServer) => Promise<T>,
): Promise<T> {
  const server = await serve(handler);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** A handler that answers every request with `body` (text/plain). */
export function text(body: string, status = 200): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    res.end(body);
  };
}

/** A promise resolved after `ms` real milliseconds (for servers only; clients use sleep). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `fn` after `ms` without keeping the process alive (a server stalls, the test ends). */
export function later(ms: number, fn: () => void): void {
  setTimeout(fn, ms).unref();
}
