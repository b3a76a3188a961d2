/**
 * One GET with the crawler's bounds: a total timeout, a response size cap, no automatic
 * redirects (the crawler schedules each hop as its own URL, so every hop is deduplicated,
 * robots-checked and paced), and streaming HTML extraction while the body arrives.
 */
import { TextDecoder } from "node:util";
import { Agent, request } from "undici";
import { HtmlExtractor, type PageInfo } from "./extract.js";

/** A fetch that produced no usable response: network error, timeout, size cap. */
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

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
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

/**
 * The HTTP side of a crawl: a keep-alive connection pool and {@link HttpFetcher.get}.
 * Close it when done so no socket outlives the crawl.
 *
 * @example
 * ```ts
 * const fetcher = new HttpFetcher({ timeout: 10, maxSize: 5_000_000, userAgent: "aio" }, 4);
 * const res = await fetcher.get("https://example.com/", AbortSignal.timeout(30_000));
 * res.page?.title;
 * await fetcher.close();
 * ```
 */
export class HttpFetcher {
  readonly options: FetchOptions;
  readonly #agent: Agent;

  /** `connectionsPerHost` caps sockets per origin (the crawl's `--per-host`). */
  constructor(options: FetchOptions, connectionsPerHost: number) {
    this.options = options;
    this.#agent = new Agent({ connections: connectionsPerHost, keepAliveTimeout: 4_000 });
  }

  /**
   * GETs `url`. Aborting `signal` aborts the request and frees its connection.
   * `wantText` returns the body as text instead of parsing it (for robots.txt).
   */
  async get(url: string, signal: AbortSignal, wantText = false): Promise<FetchedPage> {
    const { timeout, maxSize, userAgent } = this.options;
    const started = performance.now();
    const deadline = AbortSignal.timeout(Math.max(1, Math.round(timeout * 1000)));
    const combined = AbortSignal.any([signal, deadline]);
    const fail = (err: unknown): never => {
      if (err instanceof FetchError) throw err;
      if (signal.aborted) throw signal.reason ?? err;
      if (deadline.aborted) {
        throw new FetchError(url, `timed out after ${timeout} s`, true, { cause: err });
      }
      const e = err as Error & { code?: string };
      throw new FetchError(url, `${e.code ?? e.name}: ${e.message}`, true, { cause: err });
    };
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: "GET",
        dispatcher: this.#agent,
        signal: combined,
        headers: {
          "user-agent": userAgent,
          accept: wantText ? "text/plain,*/*;q=0.5" : "text/html,application/xhtml+xml,*/*;q=0.5",
        },
      });
    } catch (err) {
      return fail(err);
    }
    const contentType = header(res.headers, "content-type") ?? null;
    const lengthHeader = header(res.headers, "content-length");
    const announced = lengthHeader === undefined ? null : Number(lengthHeader);
    const location = header(res.headers, "location");
    const base = {
      status: res.statusCode,
      contentType,
      location:
        res.statusCode >= 300 && res.statusCode < 400 && location
          ? resolveLocation(location, url)
          : null,
      retryAfter: parseRetryAfter(header(res.headers, "retry-after")),
    };
    const parse = res.statusCode < 300 && (wantText || isHtml(contentType));
    if (!parse) {
      // Not parsed: the body is not needed. A small one is drained so the connection is
      // reused; a larger one closes the connection instead of being downloaded.
      await discard(res.body, 64 * 1024);
      const elapsed = (performance.now() - started) / 1000;
      return { ...base, bytes: announced, page: null, text: null, elapsed };
    }
    if (announced !== null && announced > maxSize) {
      await discard(res.body, 0);
      throw new FetchError(
        url,
        `response too large: ${announced} bytes > --max-size ${maxSize}`,
        false,
      );
    }
    const decoder = decoderFor(contentType);
    const extractor = wantText ? null : new HtmlExtractor(url);
    const parts: string[] = [];
    let bytes = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > maxSize) {
          throw new FetchError(url, `response too large: over --max-size ${maxSize} bytes`, false);
        }
        const text = decoder.decode(chunk, { stream: true });
        if (extractor) extractor.write(text);
        else parts.push(text);
      }
    } catch (err) {
      await discard(res.body, 0);
      return fail(err);
    }
    const tail = decoder.decode();
    if (extractor) extractor.write(tail);
    else parts.push(tail);
    return {
      ...base,
      bytes,
      page: extractor ? extractor.end() : null,
      text: extractor ? null : parts.join(""),
      elapsed: (performance.now() - started) / 1000,
    };
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  /** Drops every connection at once (the second Ctrl-C). */
  async destroy(): Promise<void> {
    await this.#agent.destroy();
  }
}

/** Drops a response body without ever raising (a destroyed body would emit 'error'). */
async function discard(
  body: Awaited<ReturnType<typeof request>>["body"],
  limit: number,
): Promise<void> {
  body.on("error", () => {});
  try {
    await body.dump({ limit });
  } catch {
    // The connection is closed instead of reused; nothing else to do.
  }
}

function resolveLocation(location: string, base: string): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}
