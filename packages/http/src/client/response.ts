/**
 * The response of a {@link ClientSession} request (aiohttp's `ClientResponse`): status and
 * headers at once, the body read on demand with `text()`, `json()`, `bytes()` or `for await`.
 * @module
 */
import { TextDecoder } from "node:util";
import { currentTask } from "asyncio-ts";
import type { ResponseHead } from "./attempt.js";
import type { BodyBuffer } from "./body.js";
import { ClientPayloadError } from "./errors.js";
import { ResponseHeaders } from "./headers.js";
import { awaitCancellable } from "./task-link.js";

const noop = () => {};

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
 * Reading the body in a return statement is fine: `using`/`await using` let a read that is
 * already in progress (`text()`, `json()`, `bytes()`, or a `for await` step) finish before
 * they release the body, so `return response.json()` in the block returns the body. `await
 * using` waits for that read (and its end frees the connection); cancelling the task meanwhile
 * aborts the read at once. A body nobody started to read is dropped at once.
 *
 * `text()`, `json()` and `bytes()` keep the body, so they can be called again.
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * async function fetchJson(url: string): Promise<unknown> {
 *   await using res = await session.get(url);
 *   console.log(res.status, res.ok, res.url, res.headers.get("content-type"));
 *   return res.json(); // the read finishes before the response is released
 * }
 * console.log(await fetchJson("https://example.com/data.json"));
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
  /**
   * The response headers, looked up in any case. A header sent more than once: `get` joins
   * its values with `", "`, as the Fetch `Headers` does (aiohttp's `CIMultiDictProxy.get`
   * returns the first value instead), except `set-cookie`, whose first value it returns (a
   * cookie's `Expires` date holds a comma, so joined cookies could not be split again);
   * `getAll` returns every value in order received, as aiohttp's `getall` does.
   *
   * @example
   * ```ts
   * // HTTP/1.1 200 OK
   * // Link: </a>; rel=preload
   * // Link: </b>; rel=preload
   * res.headers.get("link");    // "</a>; rel=preload, </b>; rel=preload"
   * res.headers.getAll("Link"); // ["</a>; rel=preload", "</b>; rel=preload"]
   * ```
   */
  readonly headers: ResponseHeaders;
  /** The URLs requested before this one, oldest first (empty when there was no redirect). */
  readonly redirects: readonly string[];
  readonly #body: BodyBuffer;
  // Invariant: once set, holds the whole body (not yet iterated parts are in #body).
  #cached: Buffer | null = null;
  // The promises text()/json()/bytes() returned before the body was here; null when none.
  #handedOut: Promise<unknown>[] | null = null;

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
  bytes(): Promise<Uint8Array> {
    return this.#handOut(this.#bytes());
  }

  /** The body decoded as text, by the `charset` of `content-type` or `encoding` (default utf-8). */
  text(encoding?: string): Promise<string> {
    return this.#handOut(this.#text(encoding));
  }

  /**
   * The body parsed as JSON.
   * @throws {ClientPayloadError} the body is not valid JSON (the `SyntaxError` is its cause).
   */
  json<T = unknown>(): Promise<T> {
    return this.#handOut(this.#json<T>());
  }

  async #bytes(): Promise<Buffer> {
    if (this.#cached === null) {
      this.#cached = await awaitCancellable(this.#body.readAll(), () => this.release());
    }
    return this.#cached;
  }

  async #text(encoding: string | undefined): Promise<string> {
    const bytes = await this.#bytes();
    const decoder =
      encoding === undefined
        ? decoderFor(this.headers.get("content-type"))
        : new TextDecoder(encoding);
    return decoder.decode(bytes);
  }

  async #json<T>(): Promise<T> {
    const text = await this.#text(undefined);
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

  /** Remembers a read handed to the caller while the body is not here yet (see #dropHandedOut). */
  #handOut<T>(read: Promise<T>): Promise<T> {
    if (this.#cached === null) (this.#handedOut ??= []).push(read);
    return read;
  }

  /**
   * `await using` is tearing down reads it was waiting for (the task is cancelled): the caller
   * can no longer see what they settle with (a `return response.text()` is replaced by the
   * CancelledError), so their rejection must not be reported as unhandled. Whoever does hold
   * one still sees its outcome.
   */
  #dropHandedOut(): void {
    const reads = this.#handedOut;
    this.#handedOut = null;
    if (reads !== null) for (const read of reads) read.catch(noop);
  }

  /**
   * Whether disposing should let a read in progress finish first: it is only worth it when the
   * reader can still use the body, not while the task is being cancelled.
   */
  #mustWaitForRead(): boolean {
    if (!this.#body.reading) return false;
    const task = currentTask();
    return task === undefined || task.cancelling() === 0;
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

  /**
   * For `using`: `release()`, except that a read in progress (`return response.text()` in the
   * block) is let finish first; the body is released as soon as that read settles.
   */
  [Symbol.dispose](): void {
    if (this.#mustWaitForRead()) {
      this.#body.readSettled().then(() => this.release());
    } else {
      this.release();
    }
  }

  /**
   * For `await using`: waits until a read in progress (`return response.text()` in the block)
   * has settled, whatever its outcome, then `release()`. A body nobody reads is released at
   * once. Cancelling the task while it waits releases the body (the read fails with
   * `ClientPayloadError`) and rejects with `CancelledError`; while the task is being cancelled,
   * it does not wait.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#mustWaitForRead()) {
      await awaitCancellable(this.#body.readSettled(), () => {
        this.#dropHandedOut();
        this.release();
      });
    } else if (this.#body.reading) {
      this.#dropHandedOut();
    }
    this.#handedOut = null;
    this.release();
  }

  toString(): string {
    return `ClientResponse(${this.method} ${this.url} -> ${this.status}${this.statusText ? ` ${this.statusText}` : ""})`;
  }
}
