/**
 * A tiny node:http client for the server tests: one connection per request (`agent: false`,
 * so no keep-alive socket outlives a test), and requests that can be dropped half way to play
 * a client that disconnects.
 */
import { type ClientRequest, request } from "node:http";
import type { ExceptionContext } from "asyncio-ts";
import { getRunningLoop } from "asyncio-ts";

/** A complete response, or how the exchange failed. */
export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends a request and resolves with the whole response (rejects on a network error). */
export function fetchText(url: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: res.headers,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Starts a request whose response is never read; `destroy()` it to disconnect. */
export function openRequest(url: string): ClientRequest {
  const req = request(url, { agent: false });
  req.on("error", () => {}); // destroying it on purpose is the point
  req.end();
  return req;
}

/**
 * Records every context passed to the running loop's exception handler; returns the list.
 * Must be called inside `run()`.
 */
export function captureExceptions(): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, context) => {
    seen.push(context);
  });
  return seen;
}

/** A one-shot signal between a handler and the test, on the running loop. */
export function signal(): { fire: () => void; wait: Promise<void> } {
  const future = getRunningLoop().createFuture<void>();
  return {
    fire: () => {
      if (!future.done()) future.setResult(undefined);
    },
    wait: future as unknown as Promise<void>,
  };
}
