/**
 * How the node:http adapter turns a handler's outcome into a response: a returned value becomes
 * the body, errors become 500, the deadline 504, shutdown 503, and a response that cannot be
 * completed any more is cut off (never left looking complete).
 * @module
 */
import type { ServerResponse } from "node:http";
import type { InFlight } from "./request-tasks.js";

/** The status and text of the error responses the adapters send. */
export const ERROR_RESPONSES = {
  error: [500, "Internal Server Error"],
  deadline: [504, "Gateway Timeout: the request's deadline passed"],
  shutdown: [503, "Service Unavailable: the server is shutting down"],
  cancelled: [503, "Service Unavailable: the request's handler was cancelled"],
} as const;

/** Sends a short plain-text error response; cuts the connection if headers are already out. */
export function sendError(
  res: ServerResponse,
  status: number,
  text: string,
  closeConnection = false,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${text}\n`;
  res.statusCode = status;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(body));
  if (closeConnection) res.setHeader("connection", "close");
  res.end(body);
}

const TEXT = "text/plain; charset=utf-8";
const BYTES = "application/octet-stream";
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * Writes `value` as the body: strings as text/plain, bytes as application/octet-stream,
 * anything else as JSON. A content-type (or status) the handler set is kept.
 *
 * The headers go through one `writeHead(status, [name, value, ...])` call instead of
 * `setHeader` per header and an implicit writeHead: node:http then builds the header block
 * straight from the array when the handler set no headers of its own (callgrind: ~3k
 * instructions per request less), and merges them with the handler's headers otherwise.
 */
export function sendValue(res: ServerResponse, value: unknown): void {
  let body: string | Uint8Array;
  let type: string;
  if (typeof value === "string") {
    body = value;
    type = TEXT;
  } else if (value instanceof Uint8Array) {
    body = value;
    type = BYTES;
  } else {
    const json = JSON.stringify(value);
    if (json === undefined) {
      throw new TypeError(
        `a request handler returned ${typeof value === "function" ? "a function" : String(value)}, which has no JSON form; return a string, bytes or a JSON value`,
      );
    }
    body = json;
    type = JSON_TYPE;
  }
  if (!res.headersSent) {
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    res.writeHead(
      res.statusCode,
      res.hasHeader("content-type")
        ? ["content-length", length]
        : ["content-type", type, "content-length", length],
    );
  }
  res.end(body);
}

/** The node:http adapter's `Finish`. */
export function finishNodeResponse(flight: InFlight): void {
  const res = flight.res;
  if (res.writableEnded || res.destroyed) {
    // The handler ended the response itself, or the client is gone: an error is still an error.
    if (flight.outcome === "error") flight.registry.report(flight, flight.value);
    return;
  }
  switch (flight.outcome) {
    case "value":
      if (flight.value !== undefined) {
        try {
          sendValue(res, flight.value);
        } catch (error) {
          flight.registry.report(flight, error);
          sendError(res, ...ERROR_RESPONSES.error);
        }
      } else if (res.headersSent) {
        res.end(); // the handler streamed its body and returned: the response is complete
      } else {
        flight.registry.report(
          flight,
          new Error(
            "the handler returned without responding: return a body (string, bytes or JSON value) or end the response before returning",
          ),
        );
        sendError(res, ...ERROR_RESPONSES.error);
      }
      return;
    case "error":
      flight.registry.report(flight, flight.value);
      sendError(res, ...ERROR_RESPONSES.error);
      return;
    case "cancelled":
      if (flight.reason === "disconnect") res.destroy();
      else {
        const [status, text] = ERROR_RESPONSES[flight.reason ?? "cancelled"];
        sendError(res, status, text);
      }
      return;
  }
}
