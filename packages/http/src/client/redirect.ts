/**
 * Following redirects the way browsers and aiohttp do (RFC 9110 section 15.4): 303 turns any
 * method but HEAD into a bodiless GET, 301 and 302 turn POST into GET, 307 and 308 repeat the
 * request as it was (which needs a replayable body). Credentials are not sent to another origin.
 * @module
 */
import type { AttemptSpec } from "./attempt.js";
import { ClientError } from "./errors.js";
import type { RawHeaders } from "./headers.js";

/** Statuses that carry a `Location` to follow. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Headers that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/** Whether a request body can be sent again (retries, 307/308 redirects). */
export function isReplayable(body: AttemptSpec["body"]): boolean {
  return body === null || typeof body === "string" || body instanceof Uint8Array;
}

/**
 * The request to send for a redirect response, or null when it cannot be followed (no
 * `Location`, or a 307/308 whose streamed body cannot be sent twice): the caller then returns
 * the redirect response itself.
 */
export function redirectSpec(
  spec: AttemptSpec,
  status: number,
  headers: RawHeaders,
): AttemptSpec | null {
  const raw = headers.location;
  const location = Array.isArray(raw) ? raw[0] : raw;
  if (location === undefined || location === "") return null;
  let url: URL;
  try {
    url = new URL(location, spec.url);
  } catch (cause) {
    throw new ClientError(
      `invalid redirect location ${JSON.stringify(location)}`,
      {
        method: spec.method,
        url: spec.url.href,
      },
      { cause },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ClientError(`refusing to follow a redirect to ${url.protocol} URL ${url.href}`, {
      method: spec.method,
      url: spec.url.href,
    });
  }
  let { method, body } = spec;
  const toGet =
    (status === 303 && method !== "HEAD") ||
    ((status === 301 || status === 302) && method === "POST");
  if (toGet) {
    method = "GET";
    body = null;
  } else if (!isReplayable(body)) {
    return null;
  }
  const out: Record<string, string> = { ...spec.headers };
  if (body === null) {
    delete out["content-type"];
    delete out["content-length"];
  }
  if (url.origin !== spec.url.origin) for (const name of CREDENTIAL_HEADERS) delete out[name];
  delete out.host;
  return { ...spec, url, method, body, headers: out };
}
