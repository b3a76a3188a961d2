/**
 * One GET with the crawler's bounds, on `@asyncio-ts/http`'s ClientSession: a total timeout,
 * a response size cap, no automatic redirects (the crawler schedules each hop as its own URL,
 * so every hop is deduplicated, robots-checked and paced), and streaming HTML extraction while
 * the body arrives. Cancelling the calling task aborts the request and frees its connection.
 */
import { TextDecoder } from "node:util";
import {
  ClientError,
  type ClientResponse,
  ClientSession,
  ResponseTooLargeError,
} from "@asyncio-ts/http";
import { TimeoutError } from "asyncio-ts";
import { HtmlExtractor, type PageInfo } from "./extract.js";

/**
 * A fetch that produced no usable response: network error, timeout, size cap. An HTTP answer,
 * even a 5xx, is not a `FetchError` (the crawl decides what to do with it).
 *
 * @example
 * ```ts
 * import { FetchError, HttpFetcher } from "@asyncio-ts/crawler";
 *
 * const fetcher = new HttpFetcher({ timeout: 5, maxSize: 1_000_000, userAgent: "aio" }, 1, 1);
 * try {
 *   await fetcher.get("http://127.0.0.1:9/");
 * } catch (e) {
 *   if (!(e instanceof FetchError)) throw e;
 *   console.log(e.retryable, e.message); // true ECONNREFUSED: connection failed: ...
 * } finally {
 *   await fetcher.close();
 * }
 * ```
 */
export class FetchError extends Error {
  override name = "FetchError";
  /** The URL that failed. */
  readonly url: string;
  /** Whether trying again later may help (network errors and timeouts; not the size cap). */
  readonly retryable: boolean;
  constructor(url: string, message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.retryable = retryable;
  }
}

/** Bounds and identity for every request. Times in seconds. */
export interface FetchOptions {
  /** Total time for one request, headers and body (seconds). */
  timeout: number;
  /** Largest accepted body (bytes); larger responses fail with a {@link FetchError}. */
  maxSize: number;
  userAgent: string;
}

/** What a GET returned. */
export interface FetchedPage {
  status: number;
  contentType: string | null;
  /** Body bytes read (HTML, text) or announced by Content-Length (other types, not read). */
  bytes: number | null;
  /** Absolute target of a 3xx response's `Location`. */
  location: string | null;
  /** `Retry-After` in seconds, when the server sent one. */
  retryAfter: number | null;
  /** Extracted page data when the response was HTML. */
  page: PageInfo | null;
  /** The body as text when `wantText` was asked (robots.txt). */
  text: string | null;
  /** Seconds from request start to the end of the body. */
  elapsed: number;
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into seconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

function isHtml(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "text/html" || type === "application/xhtml+xml";
}

function decoderFor(contentType: string | null): TextDecoder {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? "")?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8");
  } catch {
    return new TextDecoder("utf-8");
  }
}

/** Bodies up to this size that are not parsed are still read, so the connection is reused. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * The HTTP side of a crawl: one ClientSession (pooled keep-alive connections, total and
 * per-host limits, a total timeout, a size cap, no retries or redirects of its own: the crawl
 * schedules those politely) and {@link HttpFetcher.get}. Close it when done.
 *
 * @example
 * ```ts
 * import { HttpFetcher } from "@asyncio-ts/crawler";
 *
 * const fetcher = new HttpFetcher({ timeout: 10, maxSize: 5_000_000, userAgent: "aio" }, 4, 16);
 * const res = await fetcher.get("https://example.com/");
 * console.log(res.page?.title);
 * await fetcher.close();
 * ```
 */
export class HttpFetcher {
  readonly options: FetchOptions;
  readonly #session: ClientSession;

  /** `perHost` and `total` cap connections (the crawl's `--per-host` and `--concurrency`). */
  constructor(options: FetchOptions, perHost: number, total: number) {
    this.options = options;
    this.#session = new ClientSession({
      limit: total,
      limitPerHost: perHost,
      timeout: { total: options.timeout },
      maxRedirects: 0,
      maxResponseSize: options.maxSize,
      retry: false,
      raiseForStatus: false,
      headers: { "user-agent": options.userAgent },
    });
  }

  /** GETs `url`; `wantText` returns the body as text instead of parsing it (robots.txt). */
  async get(url: string, wantText = false): Promise<FetchedPage> {
    const started = performance.now();
    let res: ClientResponse;
    try {
      res = await this.#session.get(url, {
        allowRedirects: false,
        headers: {
          accept: wantText ? "text/plain,*/*;q=0.5" : "text/html,application/xhtml+xml,*/*;q=0.5",
        },
      });
    } catch (err) {
      throw this.#fetchError(url, err);
    }
    const contentType = res.headers.get("content-type");
    const lengthHeader = res.headers.get("content-length");
    const announced = lengthHeader === null ? null : Number(lengthHeader);
    const location = res.headers.get("location");
    const base = {
      status: res.status,
      contentType,
      location:
        res.status >= 300 && res.status < 400 && location ? resolveLocation(location, url) : null,
      retryAfter: parseRetryAfter(res.headers.get("retry-after") ?? undefined),
    };
    const parse = res.status < 300 && (wantText || isHtml(contentType));
    try {
      if (!parse) {
        // Not parsed: a small body is read so the connection is reused, a large one released.
        if (announced !== null && announced <= DRAIN_LIMIT) await res.bytes();
        else res.release();
        return {
          ...base,
          bytes: announced,
          page: null,
          text: null,
          elapsed: (performance.now() - started) / 1000,
        };
      }
      const decoder = decoderFor(contentType);
      const extractor = wantText ? null : new HtmlExtractor(url);
      const parts: string[] = [];
      let bytes = 0;
      for await (const chunk of res) {
        bytes += chunk.length;
        const text = decoder.decode(chunk, { stream: true });
        if (extractor) extractor.write(text);
        else parts.push(text);
      }
      const rest = decoder.decode();
      if (extractor) extractor.write(rest);
      else parts.push(rest);
      return {
        ...base,
        bytes,
        page: extractor ? extractor.end() : null,
        text: extractor ? null : parts.join(""),
        elapsed: (performance.now() - started) / 1000,
      };
    } catch (err) {
      res.release();
      throw this.#fetchError(url, err);
    }
  }

  /** Maps the session's errors to {@link FetchError}; anything else (cancellation) passes. */
  #fetchError(url: string, err: unknown): unknown {
    if (err instanceof ResponseTooLargeError) {
      return new FetchError(
        url,
        `response too large: ${err.received} bytes > --max-size ${err.limit}`,
        false,
        {
          cause: err,
        },
      );
    }
    if (
      err instanceof TimeoutError &&
      err.name === "TimeoutError" &&
      (err as { phase?: string }).phase !== undefined
    ) {
      return new FetchError(url, `timed out after ${this.options.timeout} s`, true, { cause: err });
    }
    if (err instanceof ClientError) {
      const code = (err.cause as { code?: string } | undefined)?.code;
      return new FetchError(url, code ? `${code}: ${err.message}` : err.message, true, {
        cause: err,
      });
    }
    return err;
  }

  /** Closes every pooled connection; requests still in flight fail. */
  async close(): Promise<void> {
    await this.#session.close();
  }
}

function resolveLocation(location: string, base: string): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}
