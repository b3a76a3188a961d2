/**
 * One call of `session.request()`: the attempts it takes (redirects, retries), the deadline
 * that covers them all (`timeout.total`), and its links to whatever may stop it (the calling
 * task's cancellation and end, the caller's AbortSignal, the session closing).
 *
 * Lifecycle: "running" (attempts) -> "streaming" (a response was returned, its body is still
 * owed) -> "finished" (timer cleared, listeners removed, out of the session's live set).
 * Invariant: `finish()` runs once; after it nothing of the exchange holds a timer, a listener
 * or a slot.
 * @module
 */
import { performance } from "node:perf_hooks";
import type { Task } from "asyncio-ts";
import type { Dispatcher } from "undici";
import { Attempt, type AttemptSpec, type ResponseHead } from "./attempt.js";
import {
  ClientPayloadError,
  ClientResponseError,
  ClientTimeoutError,
  type RequestInfo,
  TooManyRedirectsError,
} from "./errors.js";
import type { ResolvedRetry } from "./option-types.js";
import { IDEMPOTENT_METHODS } from "./options.js";
import { isReplayable, REDIRECT_STATUSES, redirectSpec } from "./redirect.js";
import { ClientResponse } from "./response.js";
import { backoffDelay, isRetryableError, parseRetryAfter } from "./retry.js";
import type { SlotPool } from "./slots.js";
import { waitSeconds } from "./task-link.js";

/** Everything one request needs to know, options already resolved. */
export interface ExchangeSpec {
  readonly first: AttemptSpec;
  readonly allowRedirects: boolean;
  readonly maxRedirects: number;
  readonly retry: ResolvedRetry;
  readonly raiseForStatus: boolean;
  readonly signal: AbortSignal | null;
}

/** What the exchange borrows from its session. */
export interface ExchangeHost {
  readonly dispatcher: Dispatcher;
  readonly pool: SlotPool;
  /** Whether the session still accepts work (retries stop when it closes). */
  readonly open: boolean;
  forget(exchange: Exchange): void;
}

/** Bodies up to this size are read rather than dropped before a redirect or retry, so the keep-alive connection survives. */
const DRAIN_LIMIT = 64 * 1024;

export class Exchange {
  state: "running" | "streaming" | "finished" = "running";
  private current: Attempt | null = null;
  // Invariant: once set, no new attempt starts and every wait ends with this error.
  private abortReason: Error | null = null;
  private totalTimer: NodeJS.Timeout | null = null;
  private readonly deadline: number | null;
  private readonly onSignal = () => this.abortFrom(this.signalSource);
  private signalSource: AbortSignal | null = null;
  // Invariant: every abort listener the exchange added, removed again by finish().
  private readonly listeners: [AbortSignal, () => void][] = [];
  private readonly onTaskDone = () =>
    this.abort(
      new ClientPayloadError(
        "the response body was released before it was read, because the task that made the request ended",
        this.info,
      ),
    );

  constructor(
    private readonly host: ExchangeHost,
    private readonly spec: ExchangeSpec,
    private readonly task: Task<unknown> | undefined,
  ) {
    const total = spec.first.timeouts.total;
    this.deadline = total === null ? null : performance.now() + total * 1000;
  }

  /** Runs the attempts and resolves with the response the caller gets. */
  run(): Promise<ClientResponse> {
    this.link();
    return this.loop().then(
      (response) => {
        this.state = "streaming";
        if (this.current === null || this.current.phase === "done") this.finish();
        return response;
      },
      (error: unknown) => {
        this.finish();
        throw error;
      },
    );
  }

  /** The request as it stands: the current attempt's method and URL (a redirect target, say). */
  get info(): RequestInfo {
    return this.current?.info ?? { method: this.spec.first.method, url: this.spec.first.url.href };
  }

  /** Stops the exchange: the current attempt (waiting, connecting or streaming) ends with `reason`. */
  abort(reason: Error): void {
    if (this.state === "finished") return;
    if (this.abortReason === null) this.abortReason = reason;
    this.current?.abort(reason);
  }

  private abortFrom(signal: AbortSignal | null): void {
    const reason = signal?.reason;
    this.abort(reason instanceof Error ? reason : new Error(String(reason ?? "aborted")));
  }

  private link(): void {
    const { total } = this.spec.first.timeouts;
    if (total !== null) {
      this.totalTimer = setTimeout(
        () => this.abort(new ClientTimeoutError("total", total, this.info)),
        total * 1000,
      ).unref();
    }
    // The calling task's cancellation reaches the exchange through awaitCancellable's onCancel
    // (every await of the request or its body is a cancellation point), and its end through
    // this done callback; no listener on task.signal is needed on the hot path.
    this.task?.addDoneCallback(this.onTaskDone);
    if (this.spec.signal !== null) this.listen(this.spec.signal);
  }

  private listen(signal: AbortSignal): void {
    if (signal.aborted) {
      this.signalSource = signal;
      this.onSignal();
      return;
    }
    const listener = () => {
      this.signalSource = signal;
      this.onSignal();
    };
    signal.addEventListener("abort", listener, { once: true });
    this.listeners.push([signal, listener]);
  }

  private finish(): void {
    if (this.state === "finished") return;
    this.state = "finished";
    if (this.totalTimer !== null) clearTimeout(this.totalTimer);
    for (const [signal, listener] of this.listeners) signal.removeEventListener("abort", listener);
    this.task?.removeDoneCallback(this.onTaskDone);
    this.host.forget(this);
  }

  private startAttempt(spec: AttemptSpec): Promise<ResponseHead> {
    if (this.abortReason !== null) return Promise.reject(this.abortReason);
    const attempt = new Attempt(this.host.dispatcher, this.host.pool, spec, (done) => {
      if (done === this.current && this.state === "streaming") this.finish();
    });
    this.current = attempt;
    return attempt.start();
  }

  private async loop(): Promise<ClientResponse> {
    const { retry, first } = this.spec;
    const history: string[] = [];
    let spec = first;
    let attemptNo = 1;
    let staleRetried = false;
    for (;;) {
      let head: ResponseHead;
      const canRetry =
        retry.methods.has(spec.method) && isReplayable(spec.body) && attemptNo < retry.attempts;
      try {
        head = await this.startAttempt(spec);
      } catch (error) {
        if (this.abortReason !== null) throw this.abortReason;
        const attempt = this.current!;
        // The keep-alive race: retried once at once, whatever the retry policy says.
        if (
          !staleRetried &&
          IDEMPOTENT_METHODS.has(spec.method) &&
          isReplayable(spec.body) &&
          attempt.isStaleSocketFailure(error)
        ) {
          staleRetried = true;
          continue;
        }
        if (canRetry && this.host.open && isRetryableError(error)) {
          const delay = backoffDelay(retry, attemptNo);
          if (this.fits(delay)) {
            attemptNo++;
            await this.pause(delay);
            continue;
          }
        }
        throw error;
      }
      const { status, headers, body } = head;
      if (canRetry && retry.statuses.has(status) && this.host.open) {
        const retryAfter = parseRetryAfter(headers);
        const delay = retryAfter ?? backoffDelay(retry, attemptNo);
        if ((retryAfter === null || retryAfter <= retry.maxRetryAfter) && this.fits(delay)) {
          await this.discard(head);
          attemptNo++;
          await this.pause(delay);
          continue;
        }
      }
      if (this.spec.allowRedirects && REDIRECT_STATUSES.has(status)) {
        const next = redirectSpec(spec, status, headers);
        if (next !== null) {
          history.push(spec.url.href);
          if (history.length > this.spec.maxRedirects) {
            body.release();
            throw new TooManyRedirectsError(
              { method: spec.method, url: next.url.href },
              [...history, next.url.href],
              this.spec.maxRedirects,
            );
          }
          await this.discard(head);
          spec = next;
          continue;
        }
      }
      const response = new ClientResponse(head, spec.method, this.current!.info.url, history);
      if (this.spec.raiseForStatus && status >= 400) {
        response.release();
        throw new ClientResponseError(
          { method: spec.method, url: spec.url.href },
          status,
          head.statusText,
          headers,
        );
      }
      return response;
    }
  }

  /** Whether waiting `delay` seconds still leaves time before the total deadline. */
  private fits(delay: number): boolean {
    return this.deadline === null || performance.now() + delay * 1000 < this.deadline;
  }

  /** Waits between attempts; a cancellation or abort during the wait ends the exchange. */
  private async pause(delay: number): Promise<void> {
    if (delay > 0) await waitSeconds(delay);
    if (this.abortReason !== null) throw this.abortReason;
  }

  /** Gets rid of a response we will not return: small bodies are read to keep the connection. */
  private async discard(head: ResponseHead): Promise<void> {
    const announced = Number(head.headers["content-length"]);
    if (!(announced > DRAIN_LIMIT)) {
      try {
        let read = 0;
        for (let chunk = await head.body.read(); chunk !== null; chunk = await head.body.read()) {
          read += chunk.length;
          if (read > DRAIN_LIMIT) break;
        }
      } catch {
        // A broken body of a response we drop does not matter.
      }
    }
    head.body.release();
  }
}
