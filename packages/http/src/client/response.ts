/**
 * The response of a {@link ClientSession} request (aiohttp's `ClientResponse`): status and
 * headers at once, the body read on demand with `text()`, `json()`, `bytes()` or `for await`.
 * @module
 */
import { TextDecoder } from "node:util";
import type { ResponseHead } from "./attempt.js";
import type { BodyBuffer } from "./body.js";
import { ClientPayloadError } from "./errors.js";
import { ResponseHeaders } from "./headers.js";
import { awaitCancellable } from "./task-link.js";

/** The charset named by a `content-type`, if TextDecoder knows it; utf-8 otherwise. */
function decoderFor(contentType: string | null): TextDecoder {
  const m = contentType === null ? null : /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  if (m !== null) {
    try {
      return new TextDecoder(m[1]!);
    } catch {
      // Unknown label: fall back to utf-8, like browsers.
    }
  }
  return UTF8;
}
const UTF8 = new TextDecoder();

/**
 * An HTTP response. The connection stays reserved until the body has been read, or the
 * response is released (`release()`, `using`/`await using`, breaking out of `for await`),
 * or the task that made the request ends: then an unread body is dropped and the connection
 * freed. Reading the body is a cancellation point of the calling task.
 *
 * `text()`, `json()` and `bytes()` keep the body, so they can be called again.
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * await using res = await session.get("https://example.com/");
 * console.log(res.status, res.ok, res.url, res.headers.get("content-type"));
 * console.log((await res.text()).length);
 * ```
 */
export class ClientResponse implements AsyncIterable<Uint8Array>, AsyncDisposable, Disposable {
  /** The status code. */
  readonly status: number;
  /** The reason phrase, possibly empty. */
  readonly statusText: string;
  /** The final URL, after redirects. */
  readonly url: string;
  /** The method of the final request (a 303 redirect turns POST into GET). */
  readonly method: string;
  /** The response headers. */
  readonly headers: ResponseHeaders;
  /** The URLs requested before this one, oldest first (empty when there was no redirect). */
  readonly redirects: readonly string[];
  readonly #body: BodyBuffer;
  // Invariant: once set, holds the whole body (not yet iterated parts are in #body).
  #cached: Buffer | null = null;

  /** @internal Created by ClientSession. */
  constructor(head: ResponseHead, method: string, url: string, redirects: readonly string[]) {
    this.status = head.status;
    this.statusText = head.statusText;
    this.headers = new ResponseHeaders(head.headers);
    this.method = method;
    this.url = url;
    this.redirects = redirects;
    this.#body = head.body;
  }

  /** True when `status` is below 400, as in aiohttp. */
  get ok(): boolean {
    return this.status < 400;
  }

  /** Whether the body was read completely (or released): the connection is free. */
  get bodyUsed(): boolean {
    return this.#cached !== null || this.#body.state !== "open";
  }

  /**
   * The whole body as bytes.
   * @throws {ClientPayloadError} the connection broke, or the body was released.
   * @throws {ResponseTooLargeError} the body passed `maxResponseSize`.
   * @throws {ClientTimeoutError} `sockRead` or `total` expired while reading.
   */
  async bytes(): Promise<Uint8Array> {
    if (this.#cached === null) {
      this.#cached = await awaitCancellable(this.#body.readAll(), () => this.release());
    }
    return this.#cached;
  }

  /** The body decoded as text, by the `charset` of `content-type` or `encoding` (default utf-8). */
  async text(encoding?: string): Promise<string> {
    const bytes = await this.bytes();
    const decoder =
      encoding === undefined
        ? decoderFor(this.headers.get("content-type"))
        : new TextDecoder(encoding);
    return decoder.decode(bytes);
  }

  /**
   * The body parsed as JSON.
   * @throws {ClientPayloadError} the body is not valid JSON (the `SyntaxError` is its cause).
   */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new ClientPayloadError(
        `the body is not valid JSON (content-type ${this.headers.get("content-type") ?? "absent"})`,
        { method: this.method, url: this.url },
        { cause },
      );
    }
  }

  /**
   * The body chunk by chunk, as it arrives (with backpressure: a slow loop slows the socket).
   * Leaving the loop early releases the rest of the body.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#cached !== null) {
      if (this.#cached.length > 0) yield this.#cached;
      return;
    }
    try {
      for (;;) {
        const chunk = await awaitCancellable(this.#body.read(), () => this.release());
        if (chunk === null) return;
        yield chunk;
      }
    } finally {
      this.release();
    }
  }

  /**
   * Gives the body up: an unfinished transfer is aborted and its connection freed; a body
   * already complete costs nothing. Idempotent. Later reads throw `ClientPayloadError`
   * (unless the body was read before, which `text()`/`bytes()`/`json()` kept).
   */
  release(): void {
    this.#body.release();
  }

  /** Same as `release()`, for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }

  /** Same as `release()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }

  toString(): string {
    return `ClientResponse(${this.method} ${this.url} -> ${this.status}${this.statusText ? ` ${this.statusText}` : ""})`;
  }
}
