/**
 * The core of the server side, shared by the node:http adapter and the Fastify plugin: every
 * request's handler runs as a named task on one loop, and this registry owns what happens
 * around it.
 *
 * - Disconnect: the connection closing before the response finished means the client went
 *   away; the handler's task is cancelled ("client disconnected"), which also cancels its
 *   TaskGroup children and aborts its ClientSession requests (through the task's AbortSignal).
 *   One "close" listener per connection tells every request on it (see connections.ts).
 * - Deadline: a loop timer cancels the task; the adapter then answers 504.
 * - Errors: reported once through the loop's exception handler (the task's exception is
 *   retrieved here, so the runtime never reports it a second time as "never retrieved");
 *   cancellations are outcomes, not errors.
 * - Shutdown (`drain`): stop taking requests, wait up to the grace period for the in-flight ones,
 *   cancel the handlers still running, wait for them, close the responses still open.
 *
 * Lifecycle: "serving" -> "draining" -> "cancelling" -> "closed"; only "serving" takes requests.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EventLoop, Future, Task, TimerHandle } from "asyncio-ts";
import { createObservedTask } from "asyncio-ts/internal";
import { unwatchSocket, watchSocket } from "./connections.js";
import type { ResolvedTaskOptions } from "./options.js";

/** Why a handler's task was cancelled. "cancelled": by someone else (e.g. `run()` ending). */
export type CancelReason = "disconnect" | "deadline" | "shutdown" | "cancelled";

/**
 * How a handler's task ended: "value" (`flight.value` is the result), "error" (`flight.value`
 * is the error) or "cancelled" (`flight.reason` says why, "cancelled" if not by the registry).
 */
export type OutcomeKind = "value" | "error" | "cancelled";

/**
 * The adapter's part: turn the outcome (`flight.outcome`, `flight.value`, `flight.reason`) into
 * a response or a closed connection. A shared function, not a closure per request: what the
 * adapter needs besides req and res travels in `flight.context`.
 */
export type Finish = (flight: InFlight) => void;

/** What `statistics()` of a server reports. */
export interface ServerStatistics {
  /** "serving", "draining" (grace period), "cancelling" (past it) or "closed". */
  state: RegistryState;
  /** Requests whose handler is running or whose response is still being written. */
  inFlight: number;
  /** Requests handed to a handler since the start. */
  handled: number;
  /** Handlers cancelled because their client disconnected. */
  disconnected: number;
  /** Handlers cancelled by the per-request deadline. */
  deadlineExpired: number;
  /** Handlers that threw (reported through the loop's exception handler). */
  failed: number;
  /** Handlers cancelled by shutdown after the grace period. */
  cancelledAtShutdown: number;
  /** Requests refused with 503 because the server was shutting down. */
  refused: number;
}

export type RegistryState = "serving" | "draining" | "cancelling" | "closed";

type Counters = Omit<ServerStatistics, "state" | "inFlight">;

/**
 * One request from arrival until both its handler task is done and its response is closed
 * (flushed, or its connection gone). Invariant: it is linked into its registry's list of flights
 * exactly while `!taskDone || !responseClosed`.
 *
 * How `responseClosed` is learnt, without a listener per request in the common case: when the
 * task is done and the adapter has answered, a response whose bytes all went to the socket
 * (`writableFinished`, the usual outcome of `res.end(body)`) is closed at once; one still being
 * written (a stream, a hijacked reply, a full socket buffer) gets a "close" listener then.
 * Before that, only the connection's close can end the response (see connections.ts).
 */
export class InFlight {
  /** @internal */ task!: Task<unknown>;
  /** Why the task was cancelled by this registry; the first reason wins. */
  reason: CancelReason | null = null;
  taskDone = false;
  responseClosed = false;
  /** @internal */ timer: TimerHandle | null = null;
  /** @internal Neighbours in the registry's list of unsettled flights. */ prev: InFlight | null =
    null;
  /** @internal */ next: InFlight | null = null;
  /** @internal Linked into its socket's list (connections.ts), until settled. */ onSocket = false;
  /** @internal Neighbours in the socket's list. */ socketPrev: InFlight | null = null;
  /** @internal */ socketNext: InFlight | null = null;
  /** @internal A "close" listener on the response is registered. */ onResponse = false;
  /** How the task ended (valid once `taskDone`). */
  outcome: OutcomeKind = "value";
  /** The task's result or error (see `outcome`). */
  value: unknown = undefined;
  /**
   * The task finished during its eager first step, inside `start()`: its function returned
   * something other than a promise, or threw (valid once `taskDone`).
   */
  finishedAtStart = false;

  constructor(
    /** @internal */ readonly registry: RequestTasks,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly finish: Finish,
    /** What the adapter's `finish` needs besides req and res (the Fastify reply). */
    readonly context: unknown,
  ) {}

  /** @internal Cancels the handler's task for `reason` unless it is done or already cancelled. */
  cancel(reason: CancelReason, message: string): void {
    if (this.taskDone || this.reason !== null) return;
    this.reason = reason;
    this.task.cancel(message);
  }

  /**
   * @internal The connection closed, or the response's "close" event: the response is over.
   * If it had not gone out yet, the client went away, and a handler still running is cancelled.
   * Idempotent.
   */
  connectionClosed(): void {
    if (this.responseClosed) return;
    this.responseClosed = true;
    // Both: an HTTP/2 response reports writableFinished once its stream is reset, ended or not.
    const answered = this.res.writableEnded && this.res.writableFinished;
    if (!answered && !this.taskDone) {
      this.registry.count("disconnected", this.reason === null);
      this.cancel("disconnect", "client disconnected");
    }
    this.registry.settled(this);
  }

  /** @internal Learns when the response closes from the response itself (see the class). */
  watchResponse(): void {
    if (this.onResponse) return;
    this.onResponse = true;
    // on(), not once(): "close" is emitted once per response, and once() costs a wrapper and a
    // removal. A closure, but only on this uncommon path.
    this.res.on("close", () => this.connectionClosed());
  }

  /** @internal Shutdown past the grace period: cuts the response (and its connection) off. */
  cut(): void {
    if (!this.res.destroyed) this.res.destroy();
    // A pipelined response queued behind another has no socket yet; destroying it emits no
    // "close". Closing the connection ends every response on it.
    if (this.onSocket) this.req.socket.destroy();
  }

  /**
   * @internal Called the moment the task settles (createObservedTask), possibly before `start()`
   * has assigned `task`.
   */
  readonly onTaskDone = (task: Task<unknown>): void => {
    this.finishedAtStart = this.task === undefined; // start() assigns it once the step is over
    this.task = task;
    this.taskDone = true;
    this.timer?.cancel();
    this.timer = null;
    if (task.cancelled()) {
      this.outcome = "cancelled";
      this.reason ??= "cancelled";
    } else {
      // exception() marks the error retrieved, so the runtime does not report it again.
      const error = task.exception();
      if (error === null) this.value = task.result();
      else {
        this.outcome = "error";
        this.value = error;
      }
    }
    try {
      this.finish(this);
    } catch (error) {
      this.registry.report(this, error, "Error while sending the response of");
      if (!this.res.destroyed) this.res.destroy();
    }
    if (!this.responseClosed) {
      if (this.res.writableFinished) this.responseClosed = true;
      else this.watchResponse();
    }
    this.registry.settled(this);
  };

  /** @internal The deadline timer. */
  expire(deadline: number): void {
    this.timer = null;
    if (this.taskDone || this.reason !== null) return;
    this.registry.count("deadlineExpired");
    this.cancel("deadline", `request deadline of ${deadline} s exceeded`);
  }
}

function expire(flight: InFlight, deadline: number): void {
  flight.expire(deadline);
}

/**
 * Runs request handlers as tasks of one loop and shuts them down gracefully. Internal: the
 * public faces are `HttpServer` (node:http) and the Fastify plugin.
 */
export class RequestTasks {
  private state: RegistryState = "serving";
  /**
   * Invariant: the list from `first` through `InFlight.next` holds every request accepted and
   * not yet settled (see `InFlight`), and `size` counts them. An intrusive list rather than a
   * Set: linking and unlinking are a few field writes, where a Set hashes every flight on the
   * request path (interleaved A/B, Node 20, 14 rounds: 38.4 -> 35.2 us of server CPU per
   * request, median of the paired ratios 0.95).
   */
  private first: InFlight | null = null;
  private size = 0;
  private readonly counters: Counters = {
    handled: 0,
    disconnected: 0,
    deadlineExpired: 0,
    failed: 0,
    cancelledAtShutdown: 0,
    refused: 0,
  };
  /** Resolved when `flights` becomes empty while someone waits for it. */
  private onIdle: (() => void) | null = null;
  /** Ends the grace period early (a second shutdown request, or the drainer was cancelled). */
  private hurryUp: (() => void) | null = null;
  private drained: Promise<void> | null = null;

  constructor(
    readonly loop: EventLoop,
    readonly options: ResolvedTaskOptions,
    /** Which handler errors to report (the Fastify plugin leaves 4xx errors to Fastify). */
    private readonly shouldReport: (error: unknown) => boolean = () => true,
  ) {}

  /** True while new requests are handed to handlers; afterwards adapters answer 503. */
  accepting(): boolean {
    return this.state === "serving";
  }

  /**
   * Starts `fn` as the task `name` for the request (`req`, `res`); `finish` receives the
   * flight, with its outcome, once the task is done. Call only while `accepting()`.
   */
  start(
    name: string,
    req: IncomingMessage,
    res: ServerResponse,
    fn: () => unknown,
    finish: Finish,
    context?: unknown,
  ): InFlight {
    const flight = new InFlight(this, req, res, finish, context);
    // Linked first: a handler that finishes during its eager first step settles the flight
    // (and unlinks it) before createObservedTask returns.
    this.link(flight);
    try {
      // Eager, as a bare framework calls its handler inside the request event; the outcome is
      // observed synchronously, so the response goes out in the microtask the handler ends in
      // (no trip through the loop's ready queue, before or after the handler).
      flight.task = createObservedTask(
        this.loop,
        fn,
        { name, eagerStart: true },
        flight.onTaskDone,
      );
    } catch (error) {
      this.unlink(flight); // the loop is closed: nothing was started
      throw error;
    }
    this.counters.handled++;
    if (flight.taskDone) return flight; // finished in its first step; onTaskDone watched the rest
    if (!watchSocket(flight)) flight.watchResponse();
    const deadline = this.options.deadline;
    if (deadline !== null) flight.timer = this.loop.callLater(deadline, expire, flight, deadline);
    return flight;
  }

  /** Counts a request refused with 503 during shutdown. */
  refused(): void {
    this.counters.refused++;
  }

  /** @internal */
  count(counter: keyof Counters, when = true): void {
    if (when) this.counters[counter]++;
  }

  /** Reports a handler error through the loop's exception handler (once per request). */
  report(flight: InFlight, error: unknown, what = "Unhandled error in request handler"): void {
    if (!this.shouldReport(error)) return;
    this.counters.failed++;
    this.loop.callExceptionHandler({
      message: `${what} ${flight.task.name}`,
      exception: error,
      task: flight.task,
      request: { method: flight.req.method, url: flight.req.url },
    });
  }

  /** @internal Drops a request that is completely done. */
  settled(flight: InFlight): void {
    if (!flight.taskDone || !flight.responseClosed) return;
    this.unlink(flight);
    if (flight.onSocket) unwatchSocket(flight);
    if (this.size === 0 && this.onIdle !== null) this.onIdle();
  }

  private link(flight: InFlight): void {
    const first = this.first;
    flight.next = first;
    if (first !== null) first.prev = flight;
    this.first = flight;
    this.size++;
  }

  private unlink(flight: InFlight): void {
    const { prev, next } = flight;
    if (prev === null) this.first = next;
    else prev.next = next;
    if (next !== null) next.prev = prev;
    flight.prev = flight.next = null;
    this.size--;
  }

  /** The unsettled flights, oldest last (a copy: settling one while iterating is safe). */
  private unsettled(): InFlight[] {
    const flights: InFlight[] = [];
    for (let flight = this.first; flight !== null; flight = flight.next) flights.push(flight);
    return flights;
  }

  /** Counts and state, for introspection and tests. */
  statistics(): ServerStatistics {
    return { state: this.state, inFlight: this.size, ...this.counters };
  }

  /**
   * Graceful shutdown; idempotent (every call returns the same promise). Stops taking requests,
   * waits up to `gracePeriod` seconds (or until `hurry()`) for the in-flight ones, then cancels
   * the handlers still running, waits for them, and closes the responses still open.
   * The returned promise never rejects.
   */
  drain(gracePeriod = this.options.gracePeriod): Promise<void> {
    this.drained ??= this.runDrain(gracePeriod);
    return this.drained;
  }

  /** Ends the grace period now: the handlers still running are cancelled. */
  hurry(): void {
    this.hurryUp?.();
  }

  toString(): string {
    return `<RequestTasks ${this.state} inFlight=${this.size}>`;
  }

  private async runDrain(gracePeriod: number): Promise<void> {
    this.state = "draining";
    if (this.size > 0 && gracePeriod > 0 && !this.loop.isClosed()) {
      await new Promise<void>((resolve) => {
        const timer = this.loop.callLater(gracePeriod, resolve);
        this.onIdle = this.hurryUp = () => {
          timer.cancel();
          resolve();
        };
      });
      this.onIdle = this.hurryUp = null;
    }
    this.state = "cancelling";
    const running = this.unsettled().filter((flight) => !flight.taskDone);
    for (const flight of running) {
      this.count("cancelledAtShutdown", flight.reason === null);
      flight.cancel("shutdown", "server shutting down");
    }
    // Cancelled handlers usually end within a loop iteration; wait for them without a bound,
    // like a TaskGroup does (a handler that swallows cancellation is the handler's bug).
    for (const flight of running) await settledPromise(flight.task);
    // What is left are responses whose handler is done but which are not flushed yet or were
    // never ended: past the grace period they are cut off.
    if (this.size > 0) {
      const idle = new Promise<void>((resolve) => {
        this.onIdle = resolve;
      });
      for (const flight of this.unsettled()) flight.cut();
      await idle;
      this.onIdle = null;
    }
    this.state = "closed";
  }
}

/** A promise that resolves when `future` is done, whatever its outcome (never rejects). */
function settledPromise(future: Future<unknown>): Promise<void> {
  return new Promise((resolve) => {
    if (future.done()) resolve();
    else future.addDoneCallback(() => resolve());
  });
}
