/**
 * The machinery shared by `ThreadPoolExecutor` and `ProcessPoolExecutor`: a FIFO queue of
 * calls, a set of lazily started workers (each runs one call at a time), cancellation, crash
 * recovery and shutdown. The subclasses only choose how a worker is started.
 *
 * Lifecycle: running -> shutting-down (after `shutdown()`: no new calls, queued calls still
 * run unless `cancelFutures`) -> shut-down (queue empty, nothing running, workers stopped).
 *
 * Worker life: started when a call finds no idle worker and the pool is below `maxWorkers`;
 * referenced (keeps the process alive) while running a call, unreferenced while idle; stopped
 * when the call it runs is cancelled, when it dies (the call fails with `BrokenExecutorError`),
 * or at shutdown. A stopped worker is replaced as soon as queued work needs it.
 * @module
 */
import type { TransferListItem } from "node:worker_threads";
import type { Executor } from "../core/default-executor.js";
import { Deque } from "../core/deque.js";
import { Future } from "../core/future.js";
import { BrokenExecutorError, describe, RuntimeError } from "../errors.js";
import { checkOptions } from "../validate.js";
import { lostClassError, lostClassInArgs } from "./class-check.js";
import { MapResults } from "./map-results.js";
import type { ModuleReference } from "./module-function.js";
import { Call, type PoolWorker } from "./pool-call.js";
import type {
  MapOptions,
  PoolCallable,
  PoolKind,
  PoolStatistics,
  ShutdownOptions,
} from "./pool-options.js";
import { type FunctionSpec, functionSpec } from "./source-function.js";
import { unwrapArgs } from "./transfer.js";
import {
  argumentsCloneError,
  deserializeError,
  type ReplyMessage,
  resultCloneError,
} from "./worker-protocol.js";

export type { MapOptions, PoolCallable, PoolKind, PoolStatistics, ShutdownOptions };

/**
 * Base class of the two pools; use {@link ThreadPoolExecutor} or {@link ProcessPoolExecutor}.
 * @example
 * ```ts
 * import { ThreadPoolExecutor } from "asyncio-ts";
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * console.log(await pool.submit((a: number, b: number) => a + b, 1, 2)); // 3
 * await pool.shutdown();
 * ```
 */
export class PoolExecutor implements Executor, AsyncDisposable {
  /** The most workers this pool runs at once. */
  readonly maxWorkers: number;
  readonly #kind: PoolKind;
  #state: PoolStatistics["state"] = "running";
  readonly #workers = new Set<PoolWorker>();
  /** Idle workers, most recently used last (reused first, so the others can stay cold). */
  readonly #idle: PoolWorker[] = [];
  /** Calls waiting for a worker, in submission order; cancelled ones are skipped lazily. */
  readonly #queue = new Deque<Call>();
  /** Invariant: the number of calls in `#queue` whose state is still "queued". */
  #queued = 0;
  #running = 0;
  #nextId = 1;
  #finished: Promise<void> | null = null;
  /** Workers stopped because their call was cancelled, until they have exited. */
  readonly #stopping = new Set<Promise<void>>();
  readonly #cancelHook = (call: Call) => this.#onCallCancelled(call);
  #resolveFinished: (() => void) | null = null;

  protected constructor(kind: PoolKind, options: { maxWorkers?: number | undefined } | undefined) {
    this.#kind = kind;
    checkOptions(`new ${kind.name}()`, options, ["maxWorkers"]);
    const max = options?.maxWorkers;
    // describe(): `{ maxWorkers: "2" }` used to read "must be a positive integer, got 2".
    if (max !== undefined && typeof max !== "number") {
      throw new TypeError(
        `${kind.name}: maxWorkers must be a positive integer, got ${describe(max)}`,
      );
    }
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
      throw new RangeError(
        `${kind.name}: maxWorkers must be a positive integer, got ${describe(max)}`,
      );
    }
    this.maxWorkers = max ?? kind.defaultWorkers;
  }

  /**
   * Runs `fn(...args)` on a worker; returns a future of its result. `fn` must be
   * self-contained (see {@link functionSpec}) or a module function. Cancelling the future (or
   * the task awaiting it) removes a queued call, or stops a running one by stopping its worker.
   * @throws RuntimeError after `shutdown()`; TypeError when `fn` cannot be sent.
   */
  submit<A extends unknown[], R>(
    fn: (...args: A) => R | Promise<R>,
    ...args: A
  ): Future<Awaited<R>>;
  submit<R = unknown>(fn: ModuleReference, ...args: unknown[]): Future<R>;
  submit(fn: PoolCallable<unknown[], unknown>, ...args: unknown[]): Future<unknown> {
    this.#checkOpen("submit");
    const spec = functionSpec(fn, `${this.#kind.name}.submit`);
    const unwrapped = unwrapArgs(args);
    return this.#enqueue(spec, unwrapped.args, unwrapped.transfer, false);
  }

  /**
   * Calls `fn(item)` for every item on the pool and yields the results in input order. All
   * chunks of a synchronous iterable are submitted at once; an async iterable is read as the
   * work proceeds. Breaking out of the loop cancels the calls whose results were not consumed.
   * @throws RuntimeError after `shutdown()`; RangeError for a bad `chunksize`.
   */
  map<T, R>(
    fn: ((item: T) => R | Promise<R>) | ModuleReference,
    items: Iterable<T> | AsyncIterable<T>,
    options?: MapOptions,
  ): AsyncIterableIterator<Awaited<R>> {
    this.#checkOpen("map");
    checkOptions(`${this.#kind.name}.map()`, options, ["chunksize"]);
    const chunksize = options?.chunksize ?? 1;
    if (!Number.isInteger(chunksize) || chunksize < 1) {
      throw new RangeError(
        `${this.#kind.name}.map: chunksize must be a positive integer, got ${String(chunksize)}`,
      );
    }
    if (
      items === null ||
      typeof items !== "object" ||
      !(Symbol.iterator in items || Symbol.asyncIterator in items)
    ) {
      throw new TypeError(
        `${this.#kind.name}.map: expected an iterable or async iterable of items`,
      );
    }
    const spec = functionSpec(fn, `${this.#kind.name}.map`);
    return new MapResults<T, Awaited<R>>(items, chunksize, (chunk) => {
      this.#checkOpen("map");
      const transfer: TransferListItem[] = [];
      const argLists = chunk.map((item) => {
        const u = unwrapArgs([item]);
        transfer.push(...u.transfer);
        return u.args;
      });
      return this.#enqueue(spec, argLists, transfer, true) as Future<Awaited<R>[]>;
    });
  }

  /**
   * Stops accepting calls. With `cancelFutures`, calls not yet started are cancelled; the
   * others still run. With `wait` (the default), resolves once they are all done and every
   * worker has stopped. Calling it again is harmless. A misspelt option rejects with
   * `TypeError` (it returns a Promise: docs/errors.md).
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    try {
      checkOptions(`${this.#kind.name}.shutdown()`, options, ["wait", "cancelFutures"]);
    } catch (error) {
      return Promise.reject(error); // it returns a Promise: errors reject (docs/errors.md)
    }
    const wait = options?.wait ?? true;
    if (this.#state === "running") this.#state = "shutting-down";
    this.#finished ??= new Promise<void>((resolve) => {
      this.#resolveFinished = resolve;
    });
    if (options?.cancelFutures) {
      for (let call = this.#queue.shift(); call !== undefined; call = this.#queue.shift()) {
        if (call.state !== "queued") continue;
        call.state = "finished"; // before cancel(), so the cancel hook has nothing to do
        call.future.cancel();
      }
      this.#queued = 0;
    }
    this.#maybeFinish();
    return wait ? this.#finished : Promise.resolve();
  }

  /**
   * @internal Shuts down and stops every call now: queued calls are cancelled, running ones too
   * (each cancel terminates its worker, as for any cancelled call), so no worker is left running.
   * `loop.shutdownDefaultExecutor(timeout)` does this once the timeout has passed.
   */
  _stopAll(): void {
    void this.shutdown({ wait: false, cancelFutures: true });
    for (const worker of [...this.#workers]) worker.call?.future.cancel();
  }

  /** `await using pool = new ThreadPoolExecutor()` shuts the pool down (waiting) at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /** Counts of workers and calls, and the lifecycle state. */
  statistics(): PoolStatistics {
    return {
      state: this.#state,
      maxWorkers: this.maxWorkers,
      workers: this.#workers.size,
      idle: this.#idle.length,
      running: this.#running,
      queued: this.#queued,
    };
  }

  toString(): string {
    const s = this.statistics();
    return (
      `<${this.#kind.name} ${s.state} workers=${s.workers}/${s.maxWorkers} idle=${s.idle} ` +
      `running=${s.running} queued=${s.queued}>`
    );
  }

  #checkOpen(api: string): void {
    if (this.#state !== "running") {
      throw new RuntimeError(
        `${this.#kind.name}.${api}: cannot schedule new calls after shutdown()`,
      );
    }
  }

  #enqueue(
    spec: FunctionSpec,
    args: readonly unknown[],
    transfer: readonly TransferListItem[],
    batch: boolean,
  ): Future<unknown> {
    const future = new Future<unknown>();
    const call = new Call(this.#nextId++, spec, args, transfer, batch, future, this.#cancelHook);
    future._onCancel = call;
    const worker = this.#idle.pop() ?? this.#spawn(call);
    if (worker !== undefined) {
      if (!this.#start(call, worker)) this.#release(worker);
    } else if (call.state === "queued") {
      this.#queue.push(call);
      this.#queued++;
    }
    return future;
  }

  /** Starts a worker if below the limit; if it cannot start, fails `call`, returns undefined. */
  #spawn(call: Call): PoolWorker | undefined {
    if (this.#workers.size >= this.maxWorkers) return undefined;
    let worker: PoolWorker;
    try {
      const handle = this.#kind.start({
        message: (reply) => this.#onReply(worker, reply),
        exit: (code, cause) => this.#onExit(worker, code, cause),
        undeliverable: (error) => this.#onUndeliverable(worker, error),
      });
      worker = { handle, call: undefined, known: new Set() };
    } catch (e) {
      call.state = "finished";
      const message = `${this.#kind.name}: cannot start a worker: ${String(e)}`;
      this.#settle(call, false, new BrokenExecutorError(message, { cause: e }));
      this.#maybeFinish();
      return undefined;
    }
    this.#workers.add(worker);
    return worker;
  }

  /**
   * Sends `call` to `worker`. Returns false when it could not be sent: the call has failed and
   * the worker is free again, and the caller must `#release` it. (Releasing from here made a
   * run of unsendable queued calls recurse once per call: 20,000 of them overflowed the stack.)
   */
  #start(call: Call, worker: PoolWorker): boolean {
    call.state = "running";
    call.worker = worker;
    worker.call = call;
    this.#running++;
    worker.handle.ref();
    const specId = call.spec.id;
    const known = worker.known.has(specId);
    // A class instance would arrive stripped of its class, without an error: refuse it here.
    const lost = lostClassInArgs(call.args, call.batch);
    let error: TypeError | undefined;
    if (lost !== undefined) error = lostClassError(call.spec.name, "arguments", lost);
    else {
      try {
        worker.handle.send(
          {
            id: call.id,
            spec: specId,
            fn: known ? undefined : call.spec,
            args: call.args,
            batch: call.batch,
          },
          call.transfer,
        );
        if (!known) worker.known.add(specId);
      } catch (e) {
        const where = lostClassInArgs(call.args, call.batch, call.transfer);
        error = argumentsCloneError(call.spec.name, e, where);
      }
    }
    if (error === undefined) return true;
    // The message never left: the worker is fine, the call fails.
    this.#finishCall(call, worker);
    this.#settle(call, false, error);
    return false;
  }

  #onReply(worker: PoolWorker, reply: ReplyMessage): void {
    const call = worker.call;
    if (call === undefined || call.id !== reply.id) return; // defensive: a stale reply
    this.#finishCall(call, worker);
    if (reply.ok) this.#settle(call, true, reply.value);
    else this.#settle(call, false, deserializeError(reply.error));
    this.#release(worker);
  }

  /** The worker's reply could not be deserialized here: fail its call; the worker is fine. */
  #onUndeliverable(worker: PoolWorker, error: unknown): void {
    const call = worker.call;
    if (call === undefined) return;
    this.#finishCall(call, worker);
    this.#settle(call, false, resultCloneError(call.spec.name, error));
    this.#release(worker);
  }

  /** The worker died on its own: fail its call, forget it, and replace it if work waits. */
  #onExit(worker: PoolWorker, exitCode: number | string, cause: unknown): void {
    this.#forget(worker);
    const call = worker.call;
    if (call !== undefined) {
      this.#finishCall(call, worker);
      const what = call.spec.name ? `"${call.spec.name}"` : "a call";
      const why = cause instanceof Error ? `: ${cause.name}: ${cause.message}` : "";
      // A process killed by a signal (SIGKILL from the OOM killer or a user, SIGABRT when V8
      // runs out of heap) has no exit code: say so rather than "exited with code SIGKILL".
      const how =
        typeof exitCode === "string"
          ? `was killed by signal ${exitCode}`
          : `exited with code ${exitCode}`;
      this.#settle(
        call,
        false,
        new BrokenExecutorError(`${this.#kind.name}: a worker ${how} while running ${what}${why}`, {
          exitCode,
          cause,
        }),
      );
    }
    this.#refill();
    this.#maybeFinish();
  }

  /** Reacts to the cancellation of a call, synchronously inside `future.cancel()`. */
  #onCallCancelled(call: Call): void {
    if (call.state === "queued") {
      call.state = "finished"; // stays in the deque; skipped when it reaches the front
      this.#queued--;
    } else if (call.state === "running") {
      // A worker cannot be interrupted, only stopped: stop it, replace it if work waits.
      const worker = call.worker!;
      this.#finishCall(call, worker);
      this.#forget(worker);
      // Remembered until it has exited, so that shutdown({ wait }) waits for it too (Python's
      // shutdown joins every worker); it used to resolve with a killed process still alive.
      // Never rejects: nobody may be awaiting it (an unhandled rejection), and a stop that
      // failed leaves nothing to wait for.
      const stopped: Promise<void> = worker.handle
        .terminate()
        .catch(() => {})
        .then(() => {
          this.#stopping.delete(stopped);
        });
      this.#stopping.add(stopped);
      this.#refill();
    }
    this.#maybeFinish();
  }

  #finishCall(call: Call, worker: PoolWorker): void {
    call.state = "finished";
    call.worker = undefined;
    worker.call = undefined;
    this.#running--;
  }

  /** Settles the call's future unless it was cancelled meanwhile. */
  #settle(call: Call, ok: boolean, value: unknown): void {
    const future = call.future;
    if (future.done()) return;
    if (ok) future.setResult(value);
    else future.setException(value);
  }

  /** A worker finished a call: give it the next one, or let it idle (or stop, at shutdown). */
  #release(worker: PoolWorker): void {
    for (let next = this.#nextQueued(); next !== undefined; next = this.#nextQueued()) {
      if (this.#start(next, worker)) return;
    }
    worker.handle.unref();
    this.#idle.push(worker);
    this.#maybeFinish();
  }

  /** Starts workers for queued calls, up to the limit (after a worker was stopped or died). */
  #refill(): void {
    while (this.#queued > 0 && this.#workers.size < this.maxWorkers) {
      const next = this.#nextQueued();
      if (next === undefined) return;
      // If no worker can start, `next` fails with BrokenExecutorError and the loop moves on,
      // so the queue drains instead of waiting for a worker that will never come.
      const worker = this.#spawn(next);
      if (worker !== undefined && !this.#start(next, worker)) this.#release(worker);
    }
  }

  #nextQueued(): Call | undefined {
    for (let call = this.#queue.shift(); call !== undefined; call = this.#queue.shift()) {
      if (call.state !== "queued") continue;
      this.#queued--;
      if (call.future.done()) {
        call.state = "finished"; // cancelled; its done callback has not run yet
        continue;
      }
      return call;
    }
    return undefined;
  }

  #forget(worker: PoolWorker): void {
    this.#workers.delete(worker);
    const i = this.#idle.indexOf(worker);
    if (i >= 0) this.#idle.splice(i, 1);
  }

  #maybeFinish(): void {
    if (this.#state !== "shutting-down" || this.#running > 0 || this.#queued > 0) return;
    this.#state = "shut-down";
    const stops = [...this.#workers].map((w) => w.handle.terminate());
    stops.push(...this.#stopping);
    this.#workers.clear();
    this.#idle.length = 0;
    const resolve = this.#resolveFinished!;
    void Promise.all(stops).then(() => resolve());
  }
}
