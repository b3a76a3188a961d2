/**
 * One attempt of a request: one slot, one undici dispatch, one response. It is undici's
 * `DispatchHandler` for that dispatch, so it sees the phases aiohttp's timeouts are about:
 *
 *   "slot"     waiting for a connection slot (SlotPool)                 timeout.connect runs
 *   "connect"  dispatched, undici is connecting or finding an idle socket  timeout.connect runs
 *   "headers"  request written, waiting for the response head            timeout.sockRead
 *   "body"     head received, body flowing into the BodyBuffer           timeout.sockRead (between chunks)
 *   "done"     finished, failed or aborted; the slot is back in the pool
 *
 * Invariants: `finish()` runs exactly once and is the only place that releases the slot;
 * `head` settles exactly once; after "done" every undici callback is ignored.
 * @module
 */
import type { Dispatcher } from "undici";
import { BodyBuffer } from "./body.js";
import {
  ClientConnectionError,
  ClientError,
  ClientPayloadError,
  ClientTimeoutError,
  type RequestInfo,
  ResponseTooLargeError,
} from "./errors.js";
import type { RawHeaders } from "./headers.js";
import type { ResolvedTimeouts } from "./option-types.js";
import { noteRequestStart } from "./reuse.js";
import type { SlotPool, SlotWaiter } from "./slots.js";

/** What one attempt sends. The body must be replayable for an attempt to be repeated. */
export interface AttemptSpec {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null;
  readonly timeouts: ResolvedTimeouts;
  readonly maxResponseSize: number | null;
}

/** The response head, with the body still arriving. */
export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  readonly headers: RawHeaders;
  readonly body: BodyBuffer;
}

export type AttemptPhase = "slot" | "connect" | "headers" | "body" | "done";

/** Socket errors that mean "the server closed an idle keep-alive connection under us". */
const STALE_SOCKET_CODES = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

/** An undici error's `code`, if any. */
function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export class Attempt implements Dispatcher.DispatchHandler {
  phase: AttemptPhase = "slot";
  /** Set by reuse tracking when undici wrote this request on a socket that served one before. */
  socketReused = false;
  /** True once a byte of the response arrived (undici's onResponseStarted). */
  responseStarted = false;
  readonly info: RequestInfo;
  // The slot pool's key (URL.origin is computed anew on every read).
  private readonly origin: string;
  readonly head: Promise<ResponseHead>;
  private resolveHead!: (head: ResponseHead) => void;
  private rejectHead!: (error: Error) => void;
  private controller: Dispatcher.DispatchController | null = null;
  // Set when aborted before undici gave us a controller: applied in onRequestStart.
  private pendingAbort: Error | null = null;
  private waiter: SlotWaiter | null = null;
  private slotHeld = false;
  private connectTimer: NodeJS.Timeout | null = null;
  // Invariant: armed exactly while we wait on the server (head, or body not paused by us).
  private readTimer: NodeJS.Timeout | null = null;
  private body: BodyBuffer | null = null;
  private received = 0;
  // Invariant: true from the last byte of the body until finish() a tick later.
  private ending = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly pool: SlotPool,
    readonly spec: AttemptSpec,
    /** Called once when the attempt is done (body read, failed, released or aborted). */
    private readonly onDone: (attempt: Attempt) => void,
  ) {
    this.info = { method: spec.method, url: spec.url.href };
    this.origin = spec.url.origin;
    this.head = new Promise<ResponseHead>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
  }

  /** Queues for a slot and dispatches; the outcome arrives through `head`. */
  start(): Promise<ResponseHead> {
    const connect = this.spec.timeouts.connect;
    if (connect !== null) {
      // Unref'd, like every timer of the client: the sockets keep the process alive while
      // work is pending, a timer alone never should.
      this.connectTimer = setTimeout(
        () => this.abort(new ClientTimeoutError("connect", connect, this.info)),
        connect * 1000,
      ).unref();
    }
    this.waiter = this.pool.acquire(this.origin, () => {
      this.waiter = null;
      this.slotHeld = true;
      // Granted inside another request's release, which may run inside an undici callback:
      // dispatch from a fresh microtask instead of re-entering undici.
      queueMicrotask(() => {
        if (this.phase === "slot") this.dispatch();
      });
    });
    if (this.waiter === null) {
      // Taken at once (acquire never calls grant synchronously).
      this.slotHeld = true;
      this.dispatch();
    }
    return this.head;
  }

  private dispatch(): void {
    this.phase = "connect";
    const { url, method, headers, body } = this.spec;
    this.dispatcher.dispatch(
      {
        origin: this.origin,
        path: url.pathname + url.search,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body as Dispatcher.DispatchOptions["body"],
        // sockRead is ours (readTimer): undici's timers tick in 0.5-1 s steps.
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      this,
    );
  }

  /** Stops the attempt with `reason` (cancellation, a timeout, the session closing). */
  abort(reason: Error): void {
    // A body already complete cannot be aborted any more: it is delivered as it is.
    if (this.ending) return;
    switch (this.phase) {
      case "done":
        return;
      case "slot":
        if (this.waiter !== null) this.pool.cancel(this.waiter);
        break;
      case "connect":
        // undici offers no handle before the request reaches a socket: remember the reason,
        // settle now, and abort the dispatch when it reaches onRequestStart.
        if (this.controller === null) this.pendingAbort = reason;
        break;
    }
    if (this.controller !== null && !this.controller.aborted) this.controller.abort(reason);
    this.fail(reason);
  }

  // ---- undici DispatchHandler ------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort !== null || this.phase === "done") {
      controller.abort(
        this.pendingAbort ?? new ClientConnectionError("request aborted", this.info),
      );
      return;
    }
    noteRequestStart(this);
    this.clearConnectTimer();
    this.phase = "headers";
    this.armRead();
  }

  onResponseStarted(): void {
    this.responseStarted = true;
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: RawHeaders,
    statusText?: string,
  ): void {
    if (this.phase === "done") return;
    this.responseStarted = true;
    const max = this.spec.maxResponseSize;
    // A HEAD response (and a 204/304) announces a length but carries no body.
    if (max !== null && this.spec.method !== "HEAD" && status !== 204 && status !== 304) {
      const announced = Number(headers["content-length"]);
      if (announced > max) {
        controller.abort(new ResponseTooLargeError(this.info, max, announced, true));
        return;
      }
    }
    this.phase = "body";
    this.armRead();
    this.body = new BodyBuffer(
      {
        // Time the reader makes the server wait is not the server's silence.
        pause: () => {
          this.disarmRead();
          controller.pause();
        },
        resume: () => {
          this.armRead();
          controller.resume();
        },
        abort: (reason) => {
          if (!controller.aborted) controller.abort(reason);
          this.finish();
        },
      },
      () =>
        new ClientPayloadError(
          "the response body was released before it was read (the response was disposed, or the task that made the request ended)",
          this.info,
        ),
    );
    this.resolveHead({ status, statusText: statusText ?? "", headers, body: this.body });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.phase !== "body") return;
    this.received += chunk.length;
    const max = this.spec.maxResponseSize;
    if (max !== null && this.received > max) {
      controller.abort(new ResponseTooLargeError(this.info, max, this.received, false));
      return;
    }
    if (this.readTimer !== null) this.readTimer.refresh();
    this.body!.push(chunk);
  }

  onResponseEnd(): void {
    if (this.phase !== "body") return;
    this.ending = true;
    this.disarmRead();
    // undici hands the socket back to its pool only a full event-loop turn after this
    // callback (client-h1 onMessageComplete: `setImmediate(client[kResume])`, "to make sure
    // non-spec compliant servers are not closing the connection"). Completing after that
    // immediate (a tick, then our own immediate, queued behind theirs) means a request sent
    // right after the body was read reuses this keep-alive connection instead of opening one.
    process.nextTick(() =>
      setImmediate(() => {
        this.body!.end();
        this.finish();
      }),
    );
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.phase === "done") return;
    this.fail(this.translate(error));
  }

  // ---- internals -------------------------------------------------------------------------

  /** Whether a failure may be repeated at once: the server dropped a reused keep-alive socket. */
  isStaleSocketFailure(error: unknown): boolean {
    return (
      this.socketReused &&
      !this.responseStarted &&
      error instanceof ClientConnectionError &&
      STALE_SOCKET_CODES.has(codeOf(error.cause) ?? "")
    );
  }

  private fail(error: Error): void {
    if (this.phase === "body") this.body!.fail(error);
    else this.rejectHead(error);
    this.finish();
  }

  private finish(): void {
    if (this.phase === "done") return;
    this.phase = "done";
    this.clearConnectTimer();
    this.disarmRead();
    if (this.slotHeld) {
      this.slotHeld = false;
      this.pool.release(this.origin);
    }
    this.onDone(this);
  }

  /** Starts (or restarts) the sockRead countdown, if the request has one. */
  private armRead(): void {
    const sockRead = this.spec.timeouts.sockRead;
    if (sockRead === null) return;
    if (this.readTimer !== null) {
      this.readTimer.refresh();
      return;
    }
    this.readTimer = setTimeout(
      () => this.abort(new ClientTimeoutError("sockRead", sockRead, this.info)),
      sockRead * 1000,
    ).unref();
  }

  private disarmRead(): void {
    if (this.readTimer !== null) {
      clearTimeout(this.readTimer);
      this.readTimer = null;
    }
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) {
      clearTimeout(this.connectTimer);
      this.connectTimer = null;
    }
  }

  /** undici's errors in the client's vocabulary; our own abort reasons pass through. */
  private translate(error: Error): Error {
    if (error instanceof ClientError || error instanceof ClientTimeoutError) return error;
    const code = codeOf(error);
    // Our own non-client reasons (CancelledError, a user's AbortSignal reason) stay as given.
    if (code === undefined && error.name !== "SocketError" && error.name !== "Error") return error;
    const { timeouts } = this.spec;
    switch (code) {
      case "UND_ERR_HEADERS_TIMEOUT":
      case "UND_ERR_BODY_TIMEOUT":
        return new ClientTimeoutError("sockRead", timeouts.sockRead ?? 300, this.info, error);
      case "UND_ERR_CONNECT_TIMEOUT":
        return new ClientTimeoutError("connect", timeouts.connect ?? 30, this.info, error);
      case "UND_ERR_RES_CONTENT_LENGTH_MISMATCH":
        return new ClientPayloadError(
          `the body does not match its length: ${error.message}`,
          this.info,
          {
            cause: error,
          },
        );
      case "UND_ERR_INVALID_ARG":
      case "UND_ERR_NOT_SUPPORTED":
        return new ClientError(`invalid request: ${error.message}`, this.info, { cause: error });
      case "UND_ERR_CLOSED":
      case "UND_ERR_DESTROYED":
        return new ClientConnectionError("the session was closed", this.info, { cause: error });
    }
    if (this.phase === "body") {
      return new ClientPayloadError(
        `the connection broke while reading the body: ${error.message}`,
        this.info,
        {
          cause: error,
        },
      );
    }
    return new ClientConnectionError(`connection failed: ${error.message}`, this.info, {
      cause: error,
    });
  }
}
