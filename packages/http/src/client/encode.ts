/**
 * Turning request options into what undici sends: query parameters and the body (with the
 * `content-type` it implies when the caller set none).
 * @module
 */
import type { AttemptSpec } from "./attempt.js";
import type { BodyInput, RequestOptions } from "./option-types.js";
import { describe } from "./options.js";

/** Appends `params` to the query of `url` (arrays repeat the name). */
export function appendParams(url: URL, params: NonNullable<RequestOptions["params"]>): void {
  if (params instanceof URLSearchParams) {
    for (const [k, v] of params) url.searchParams.append(k, v);
    return;
  }
  if (params === null || typeof params !== "object") {
    throw new TypeError(
      `request option "params" expected a record or URLSearchParams, received ${describe(params)}`,
    );
  }
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      // As aiohttp: a value that has no obvious text ({}, null, undefined) is refused rather
      // than sent as "[object Object]", "null" or "undefined".
      if (typeof one !== "string" && typeof one !== "number" && typeof one !== "boolean") {
        throw new TypeError(
          `request option "params" entry "${k}" expected a string, number or boolean (or an array of them), received ${describe(one)}`,
        );
      }
      url.searchParams.append(k, String(one));
    }
  }
}

/** The body to send, setting `content-type` (in the request's own header copy) when unset. */
export function encodeBody(
  options: RequestOptions,
  headers: Record<string, string>,
): AttemptSpec["body"] {
  const { body, json } = options;
  if (json !== undefined && body !== undefined) {
    throw new TypeError('request options "body" and "json" are exclusive: pass one of them');
  }
  const setType = (type: string) => {
    if (headers["content-type"] === undefined) headers["content-type"] = type;
  };
  if (json !== undefined) {
    let text: string | undefined;
    try {
      text = JSON.stringify(json);
    } catch (cause) {
      // A BigInt, a cycle, a throwing toJSON(): name the option, keep the reason.
      throw new TypeError(
        `request option "json" expected a JSON-serialisable value: ${(cause as Error).message}`,
        { cause },
      );
    }
    if (text === undefined) {
      throw new TypeError(
        `request option "json" expected a JSON-serialisable value, received ${describe(json)}`,
      );
    }
    setType("application/json");
    return text;
  }
  return encodePlainBody(body, setType);
}

function encodePlainBody(
  body: BodyInput | undefined,
  setType: (type: string) => void,
): AttemptSpec["body"] {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") {
    setType("text/plain; charset=utf-8");
    return body;
  }
  if (body instanceof Uint8Array) {
    setType("application/octet-stream");
    return body;
  }
  if (body instanceof URLSearchParams) {
    setType("application/x-www-form-urlencoded;charset=UTF-8");
    return body.toString();
  }
  if (typeof body === "object" && (Symbol.asyncIterator in body || Symbol.iterator in body)) {
    setType("application/octet-stream");
    return body;
  }
  throw new TypeError(
    `request option "body" expected a string, Uint8Array, URLSearchParams or (async) iterable of Uint8Array, received ${describe(body)}`,
  );
}
