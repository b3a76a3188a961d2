/**
 * asCompleted(): awaitables in the order they finish (asyncio.as_completed, 3.13 semantics).
 */

import { eventLoop } from "./core/context.js";
import { Deque } from "./core/deque.js";
import { adoptPromise, Future, isThenable } from "./core/future.js";
import type { TimerHandle } from "./core/handle.js";
import type { EventLoop } from "./core/loop.js";
import type { Task } from "./core/task.js";
import { describe, TimeoutError } from "./errors.js";
import { ensureFuture } from "./tasks.js";
import { checkIterable, checkOptions, validateTimeout } from "./validate.js";

/** Options of `asCompleted`. */
export interface AsCompletedOptions {
  /** Seconds after which the next step rejects with TimeoutError (null: none). */
  timeout?: number | null;
}

/** What awaiting an input of `asCompleted` gives. */
export type ResultOf<X> =
  X extends PromiseLike<infer T> ? T : X extends () => infer R ? Awaited<R> : unknown;

/**
 * What `for await` over `asCompleted` yields for an input: the input itself, or for a function
 * the task that runs it.
 *
 * @example
 * ```ts
 * import { run, asCompleted, sleep, type Task } from "asyncio-ts";
 * await run(async () => {
 *   for await (const task of asCompleted([() => sleep(0.01, "x")])) {
 *     const started: Task<string> = task; // the task that ran the function
 *     console.log(await started); // "x"
 *   }
 * });
 * ```
 */
export type HandedOut<X> = X extends () => infer R ? Task<Awaited<R>> : X;

/**
 * The iterator `asCompleted` returns. Iterate it with `for (const p of it)` to get promises that
 * settle in completion order, or with `for await (const x of it)` to get the original
 * tasks/futures/promises as they complete.
 */
export class AsCompleted<X> implements Iterable<Promise<ResultOf<X>>>, AsyncIterable<HandedOut<X>> {
  /** Finished inputs not yet handed out, in completion order. */
  private readonly finished = new Deque<{ item: X; future: Future<unknown> } | null>();
  /** Consumers waiting for the next completion, in arrival order. */
  private readonly waiters = new Deque<Future<void>>();
  private remaining: number;
  private handedOut = 0;
  private readonly total: number;
  private timer: TimerHandle | null = null;
  private timedOut = false;

  /** @internal */
  constructor(items: X[], futures: Future<unknown>[], seconds: number | null, loop: EventLoop) {
    this.total = this.remaining = futures.length;
    futures.forEach((future, i) => {
      const item = items[i]!;
      future.addDoneCallback(() => this.onDone(item, future));
    });
    if (seconds !== null && futures.length > 0)
      this.timer = loop.callLater(seconds, () => this.onTimeout());
  }

  /**
   * Synchronous form: `total` promises. Each starts waiting when it is first awaited, in the
   * task that awaits it, and settles like the next input to finish from then on: the first one
   * awaited gets the first completion, whichever it is (asyncio yields coroutines, which wait
   * only once awaited). So cancelling the awaiting task cancels its wait, and promises made but
   * not awaited yet neither take a completion nor reject unobserved.
   */
  *[Symbol.iterator](): Iterator<Promise<ResultOf<X>>> {
    while (this.handedOut < this.total) {
      this.handedOut++;
      yield new NextCompleted(() =>
        this.nextFinished().then(({ future }) => future.result() as ResultOf<X>),
      );
    }
  }

  /**
   * Asynchronous form: the original inputs, each as soon as it is done. Written by hand rather
   * than as an async generator, because an async generator would await each yielded task and
   * hand out its result instead of the task itself.
   */
  [Symbol.asyncIterator](): AsyncIterator<HandedOut<X>> {
    return {
      next: async (): Promise<IteratorResult<HandedOut<X>>> => {
        if (this.handedOut >= this.total) return { done: true, value: undefined };
        this.handedOut++;
        const { item } = await this.nextFinished();
        return { done: false, value: item as HandedOut<X> };
      },
    };
  }

  private async nextFinished(): Promise<{ item: X; future: Future<unknown> }> {
    while (this.finished.length === 0) {
      if (this.timedOut) throw new TimeoutError("asCompleted() timed out");
      const waiter = new Future<void>();
      this.waiters.push(waiter);
      try {
        await waiter;
      } catch (error) {
        // Cancelled after a completion woke this waiter: pass the wake-up on, so the finished
        // input does not wait for the next completion (asyncio's Queue.get does the same).
        if (!waiter.cancelled()) this.wakeOne();
        throw error;
      }
    }
    const next = this.finished.shift()!;
    if (next === null) throw new TimeoutError("asCompleted() timed out");
    return next;
  }

  private onDone(item: X, future: Future<unknown>): void {
    if (this.timedOut) return;
    this.remaining--;
    this.finished.push({ item, future });
    if (this.remaining === 0) this.timer?.cancel();
    this.wakeOne();
  }

  private onTimeout(): void {
    this.timedOut = true;
    while (this.waiters.length > 0) this.wakeOne();
  }

  private wakeOne(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters.shift()!;
      if (!waiter.done()) {
        waiter.setResult(undefined);
        return;
      }
    }
  }
}

/**
 * A promise handed out by the synchronous form of `asCompleted`: it starts `start` on its first
 * `then` (an `await` calls it in the awaiting task), so the wait belongs to that task.
 */
class NextCompleted<T> implements Promise<T> {
  private promise: Promise<T> | null = null;

  constructor(private readonly start: () => Promise<T>) {}

  get [Symbol.toStringTag](): string {
    return "Promise";
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.promise ??= this.start();
    return this.promise.then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    this.promise ??= this.start();
    return this.promise.finally(onFinally);
  }
}

/**
 * Yields awaitables in the order they complete. `for await` yields the original tasks, futures
 * or promises (functions are started as tasks and the tasks are yielded); a plain `for` loop
 * yields promises to await, in completion order. After `timeout` seconds the next step rejects
 * with `TimeoutError`.
 *
 * @example
 * ```ts
 * import { run, createTask, asCompleted, sleep } from "asyncio-ts";
 * await run(async () => {
 *   const tasks = [3, 1, 2].map((n) => createTask(() => sleep(n / 100, `url${n}`)));
 *   for await (const task of asCompleted(tasks)) console.log(await task); // url1, url2, url3
 *   for (const next of asCompleted([sleep(0.02, "b"), sleep(0.01, "a")])) console.log(await next); // a, b
 * });
 * ```
 */
export function asCompleted<X>(
  awaitables: Iterable<X>,
  options: AsCompletedOptions = {},
): AsCompleted<X> {
  checkIterable(
    "asCompleted()",
    "an iterable of tasks, futures, promises or functions",
    awaitables,
  );
  checkOptions("asCompleted()", options, ["timeout"]);
  const seconds = validateTimeout("asCompleted()", options.timeout ?? null);
  const loop = eventLoop();
  const items = [...new Set(awaitables)];
  const futures = items.map((item) => {
    if (item instanceof Future) return item as Future<unknown>;
    if (isThenable(item)) return adoptPromise(item, loop);
    if (typeof item === "function") return ensureFuture(item as () => unknown, loop);
    throw new TypeError(
      `asCompleted() expected tasks, futures, promises or functions, got ${describe(item)}`,
    );
  });
  // For functions, hand out the tasks that run them (the input itself cannot be awaited).
  const handed = items.map((item, i) => (typeof item === "function" ? futures[i] : item)) as X[];
  return new AsCompleted(handed, futures, seconds, loop);
}
