/**
 * `serve`: a node:http server bound to the task that awaits it. It runs until that task is
 * cancelled (Ctrl-C under `run()` cancels the main task) or until `shutdown()` is called, and
 * always shuts down gracefully before returning.
 * @module
 */
import { describe } from "../client/options.js";
import { type HttpServer, type RequestHandler, startServerWith } from "./http-server.js";
import type { StartServerOptions } from "./options.js";

/** Options of `serve`: those of `startServer`, and a callback for when it is listening. */
export interface ServeOptions extends StartServerOptions {
  /** Called once the server listens (read `server.url` there, e.g. with `port: 0`). */
  ready?: (server: HttpServer) => void;
}

/**
 * Serves `handler` (see {@link startServer}) until the calling task is cancelled or the server is
 * shut down, then shuts down gracefully: stop accepting, let in-flight requests finish for up to
 * `gracePeriod` seconds (default 10), cancel the rest. Under `run()`, the first Ctrl-C cancels
 * the main task and so drains the server; a second one exits at once. Resolves when shut down by
 * `server.shutdown()`; rethrows the `CancelledError` when shut down by cancellation.
 *
 * @example
 * ```ts
 * import { run, sleep } from "asyncio-ts";
 * import { serve } from "@asyncio-ts/http";
 *
 * async function getBurgers(n: number): Promise<string[]> {
 *   await sleep(1); // other requests are served while these cook
 *   return Array.from({ length: n }, (_, i) => `burger ${i + 1}`);
 * }
 *
 * await run(() =>
 *   serve(async (req) => (req.url === "/burgers" ? getBurgers(2) : { error: "not found" }), {
 *     port: 8000,
 *     deadline: 5,
 *     ready: (server) => console.log(`serving on ${server.url}`),
 *   }),
 * );
 * ```
 */
export async function serve(handler: RequestHandler, options?: ServeOptions): Promise<void> {
  const ready = options?.ready;
  if (ready !== undefined && typeof ready !== "function") {
    throw new TypeError(
      `serve() "ready" expected a function (server) => void, received ${describe(ready)}`,
    );
  }
  const { ready: _, ...startOptions } = options ?? {};
  const server = await startServerWith("serve()", handler, startOptions);
  try {
    ready?.(server);
    await server.waitClosed();
  } finally {
    // After a cancellation this runs the whole graceful shutdown; a second cancellation of this
    // task ends the grace period early (HttpServer.shutdown), it never skips the cleanup.
    await server.shutdown();
  }
}
