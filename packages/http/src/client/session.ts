/**
 * `ClientSession`: aiohttp's client session for asyncio-ts, on undici. One session holds one
 * connection pool (keep-alive connections per origin, capped by `limit` and `limitPerHost`)
 * and the defaults of its requests; make one per application, not one per request.
 *
 * Lifecycle: "open" -> "closed" (`close()` or `await using`); requests on a closed session
 * throw `RuntimeError`.
 * @module
 */
import { currentTask, RuntimeError } from "asyncio-ts";
import { Agent } from "undici";
import type { AttemptSpec } from "./attempt.js";
import { appendParams, encodeBody } from "./encode.js";
import { ClientConnectionError } from "./errors.js";
import { Exchange, type ExchangeHost } from "./exchange.js";
import type {
  ClientSessionOptions,
  RequestOptions,
  ResolvedSessionOptions,
} from "./option-types.js";
import {
  checkKeys,
  checkNumber,
  describe,
  normalizeHeaders,
  parseHttpUrl,
  resolveMaxSize,
  resolveRetry,
  resolveSessionOptions,
  resolveTimeouts,
} from "./options.js";
import type { ClientResponse } from "./response.js";
import { SlotPool } from "./slots.js";
import { awaitCancellable } from "./task-link.js";
import { closedNormally, watchUnclosed } from "./unclosed.js";

const REQUEST_KEYS = [
  "params",
  "headers",
  "body",
  "json",
  "timeout",
  "allowRedirects",
  "maxRedirects",
  "maxResponseSize",
  "retry",
  "raiseForStatus",
  "signal",
] as const;

/** An HTTP token (RFC 9110 section 5.6.2), the shape of a method name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Sent unless the session or the request sets them. */
const DEFAULT_HEADERS: Record<string, string> = {
  accept: "*/*",
  "user-agent": "asyncio-ts-http/0.1 (+undici)",
};

/**
 * What {@link ClientSession.statistics} reports.
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * const session = new ClientSession();
 * const { inFlight, activeConnections, waiting } = session.statistics();
 * ```
 */
export interface SessionStatistics {
  /** "open" or "closed". */
  state: "open" | "closed";
  /** Requests started and not finished (their body included). */
  inFlight: number;
  /** Connection slots in use. */
  activeConnections: number;
  /** Requests waiting for a connection slot. */
  waiting: number;
}

/**
 * An HTTP client session in the spirit of aiohttp's `ClientSession`. Every request is a
 * cancellation point of the calling task: cancelling the task (or its `timeout()` scope)
 * aborts the request at once and frees its connection. A response's unread body is released
 * when the response is disposed or the task ends.
 *
 * Errors: {@link ClientTimeoutError} (an asyncio-ts `TimeoutError` with the `phase`),
 * {@link ClientResponseError} for `raiseForStatus`, and {@link ClientError} subclasses for
 * connection failures, payload errors, too many redirects and too large responses.
 * @example
 * ```ts
 * import { gather, run } from "asyncio-ts";
 * import { ClientSession } from "@asyncio-ts/http";
 *
 * await run(async () => {
 *   await using session = new ClientSession({ limitPerHost: 4, timeout: { total: 10 } });
 *   const pages = await gather(
 *     ...["/a", "/b", "/c"].map((path) => async () => {
 *       const res = await session.get(`https://example.com${path}`);
 *       return res.text();
 *     }),
 *   );
 *   console.log(pages.map((p) => p.length));
 * });
 * ```
 */
export class ClientSession implements AsyncDisposable {
  readonly #options: ResolvedSessionOptions;
  readonly #agent: Agent;
  readonly #pool: SlotPool;
  // Invariant: exactly the exchanges not yet finished; close() aborts them.
  readonly #live = new Set<Exchange>();
  #state: "open" | "closed" = "open";
  readonly #host: ExchangeHost;

  /**
   * @throws {TypeError} an option has the wrong type or an unknown name.
   * @throws {RangeError} an option is out of range (a negative `limit`, a zero timeout).
   */
  constructor(options?: ClientSessionOptions) {
    const o = resolveSessionOptions(options);
    o.headers = { ...DEFAULT_HEADERS, ...o.headers };
    this.#options = o;
    this.#pool = new SlotPool(o.limit, o.limitPerHost);
    const keepAlive = o.keepAliveTimeout * 1000;
    this.#agent = new Agent({
      // Never more sockets per origin than slots: the slot pool is the real limit.
      connections: o.limitPerHost || o.limit || null,
      keepAliveTimeout: keepAlive,
      keepAliveMaxTimeout: keepAlive,
      connect: { timeout: (o.timeout.connect ?? 30) * 1000 },
      // Per request, from timeout.sockRead; 0 disables undici's own defaults of 300 s.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const live = this.#live;
    const self = this;
    this.#host = {
      dispatcher: this.#agent,
      pool: this.#pool,
      get open() {
        return self.#state === "open";
      },
      forget: (exchange) => live.delete(exchange),
    };
    watchUnclosed(this, this.#agent);
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#state === "closed";
  }

  /**
   * Sends a request and resolves with the response once its status and headers arrive
   * (follows redirects and retries first, as configured).
   * @param method an HTTP method, any case (`"get"` is sent as `GET`).
   * @param url absolute, or relative to the session's `baseUrl`.
   * @throws {RuntimeError} the session is closed.
   * @throws {TypeError | RangeError} bad arguments or options.
   * @example
   * ```ts
   * import { ClientSession } from "@asyncio-ts/http";
   * await using session = new ClientSession({ baseUrl: "https://api.example.com/v1/" });
   * const res = await session.request("POST", "items", { json: { name: "x" }, params: { dry: 1 } });
   * console.log(res.status, await res.json());
   * ```
   */
  request(method: string, url: string | URL, options?: RequestOptions): Promise<ClientResponse> {
    let exchange: Exchange;
    try {
      if (this.#state !== "open") {
        throw new RuntimeError(
          `${this} is closed: create a new ClientSession to send ${method} ${url}`,
        );
      }
      exchange = this.#prepare(method, url, options);
    } catch (error) {
      // Bad arguments reject like every other failure of the call.
      return Promise.reject(error);
    }
    this.#live.add(exchange);
    const work = exchange.run();
    return awaitCancellable(
      work,
      (reason) => exchange.abort(reason as Error),
      (response) => response.release(),
    );
  }

  /** `request("GET", url, options)`. */
  get(url: string | URL, options?: RequestOptions): Promise<ClientResponse> {
    return this.request("GET", url, options);
  }

  /** `request("HEAD", url, options)`. */
  head(url: string | URL, options?: RequestOptions): Promise<ClientResponse> {
    return this.request("HEAD", url, options);
  }

  /** `request("POST", url, options)`. */
  post(url: string | URL, options?: RequestOptions): Promise<ClientResponse> {
    return this.request("POST", url, options);
  }

  /** `request("PUT", url, options)`. */
  put(url: string | URL, options?: RequestOptions): Promise<ClientResponse> {
    return this.request("PUT", url, options);
  }

  /** `request("PATCH", url, options)`. */
  patch(url: string | URL, options?: RequestOptions): Promise<ClientResponse> {
    return this.request("PATCH", url, options);
  }

  /** `request("DELETE", url, options)`. */
  delete(url: string | URL, options?: RequestOptions): Promise<ClientResponse> {
    return this.request("DELETE", url, options);
  }

  /**
   * Closes the session: requests still in flight (bodies included) fail with
   * `ClientConnectionError`, and every connection is closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    closedNormally(this);
    for (const exchange of [...this.#live]) {
      exchange.abort(
        new ClientConnectionError(
          "the session was closed while the request was in flight",
          exchange.info,
        ),
      );
    }
    await this.#agent.destroy();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Requests in flight, connection slots in use and waiting. */
  statistics(): SessionStatistics {
    const pool = this.#pool.statistics();
    return {
      state: this.#state,
      inFlight: this.#live.size,
      activeConnections: pool.active,
      waiting: pool.waiting,
    };
  }

  toString(): string {
    const s = this.statistics();
    const base = this.#options.baseUrl ? ` ${this.#options.baseUrl.href}` : "";
    return `ClientSession(${s.state}${base}, ${s.inFlight} in flight, ${s.activeConnections}/${this.#options.limit || "∞"} connections, ${s.waiting} waiting)`;
  }

  #prepare(method: string, url: string | URL, options: RequestOptions | undefined): Exchange {
    if (typeof method !== "string" || !TOKEN.test(method)) {
      throw new TypeError(
        `ClientSession.request() expected an HTTP method name, received ${describe(method)}`,
      );
    }
    const o = this.#options;
    const where = "request option";
    if (typeof url !== "string" && !(url instanceof URL)) {
      throw new TypeError(
        `ClientSession.request() expected the URL as a string or URL, received ${describe(url)}`,
      );
    }
    const target = parseHttpUrl("ClientSession.request() url", String(url), o.baseUrl);
    const m = method.toUpperCase();
    if (options === undefined) {
      return this.#exchange(
        {
          url: target,
          method: m,
          headers: o.headers,
          body: null,
          timeouts: o.timeout,
          maxResponseSize: o.maxResponseSize,
        },
        true,
        o.maxRedirects,
        o.retry,
        o.raiseForStatus,
        null,
      );
    }
    checkKeys("ClientSession.request()", options, REQUEST_KEYS);
    if (options.params !== undefined) appendParams(target, options.params);
    // A copy: encodeBody may add content-type, and the session's record is shared.
    const headers = { ...o.headers, ...normalizeHeaders(`${where} "headers"`, options.headers) };
    const body = encodeBody(options, headers);
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new TypeError(
        `${where} "signal" expected an AbortSignal, received ${describe(options.signal)}`,
      );
    }
    for (const key of ["allowRedirects", "raiseForStatus"] as const) {
      if (options[key] !== undefined && typeof options[key] !== "boolean") {
        throw new TypeError(
          `${where} "${key}" expected true or false, received ${describe(options[key])}`,
        );
      }
    }
    const redirects =
      options.maxRedirects === undefined
        ? o.maxRedirects
        : checkNumber(`${where} "maxRedirects"`, options.maxRedirects, { min: 0, integer: true });
    return this.#exchange(
      {
        url: target,
        method: m,
        headers,
        body,
        timeouts: resolveTimeouts(where, options.timeout, o.timeout),
        maxResponseSize: resolveMaxSize(where, options.maxResponseSize, o.maxResponseSize),
      },
      options.allowRedirects ?? true,
      redirects,
      options.retry === undefined ? o.retry : resolveRetry(where, options.retry),
      options.raiseForStatus ?? o.raiseForStatus,
      options.signal ?? null,
    );
  }

  #exchange(
    first: AttemptSpec,
    allowRedirects: boolean,
    maxRedirects: number,
    retry: ResolvedSessionOptions["retry"],
    raiseForStatus: boolean,
    signal: AbortSignal | null,
  ): Exchange {
    return new Exchange(
      this.#host,
      { first, allowRedirects, maxRedirects, retry, raiseForStatus, signal },
      currentTask(),
    );
  }
}
