/**
 * A small local web server for the HTTP examples, standing in for the sites the seeds fetch
 * (Google search pages, example.com, httpbin.org, api.github.com), so the examples run offline
 * and their output can be tested. It binds to 127.0.0.1 on a free port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** Answers one request: status, content type and body. */
export type Route = (
  url: URL,
  req: IncomingMessage,
) => { status?: number; type: string; body: string };

/** A running local server. */
export interface LocalServer {
  /** Base URL, ending with "/". */
  readonly url: string;
  /** Requests served so far, by path and query. */
  readonly served: string[];
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (port 0) that answers with `route` after `delay` seconds.
 *
 * @example
 * ```ts
 * import { startLocalServer } from "./lib/local-server.js";
 * const server = await startLocalServer(() => ({ type: "text/plain", body: "hi" }));
 * console.log(await (await fetch(server.url)).text()); // "hi"
 * await server.close();
 * ```
 */
export async function startLocalServer(route: Route, delay = 0): Promise<LocalServer> {
  const served: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    served.push(url.pathname + url.search);
    const answer = () => {
      const { status = 200, type, body } = route(url, req);
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (delay > 0) setTimeout(answer, delay * 1000);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the server has no port");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
