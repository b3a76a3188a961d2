/**
 * The async iterator behind `executor.map(fn, items, { chunksize })`: results in input order,
 * while the calls run concurrently on the pool.
 *
 * Like `concurrent.futures.Executor.map`, every chunk of a synchronous iterable is submitted at
 * once, when `map` is called; an async iterable is read by a background pump that submits each
 * chunk as soon as it is full. A failed chunk throws its error at its place in the order.
 * Leaving the loop early (`break`, an error, cancellation of the consuming task) cancels every
 * chunk not yet consumed, so no abandoned work keeps the pool busy.
 * @module
 */
import { Deque } from "../core/deque.js";
import { Future } from "../core/future.js";

/** Submits one chunk of items; the future resolves to their results in order. */
export type SubmitChunk<T, R> = (chunk: T[]) => Future<R[]>;

/** In-order results of a pool `map`. */
export class MapResults<T, R> implements AsyncIterableIterator<R> {
  // Invariant: chunks are in input order; `current[index..]` are results not yet yielded.
  readonly #chunks = new Deque<Future<R[]>>();
  #current: R[] = [];
  #index = 0;
  #sourceDone = false;
  #sourceFailed = false;
  #sourceError: unknown;
  #closed = false;
  /** Resolved by the pump when it adds a chunk or ends; awaited when no chunk is ready. */
  #wake: Future<void> | null = null;
  #source: AsyncIterator<T> | null = null;

  constructor(items: Iterable<T> | AsyncIterable<T>, chunksize: number, submit: SubmitChunk<T, R>) {
    if (Symbol.iterator in items) {
      let chunk: T[] = [];
      for (const item of items) {
        chunk.push(item);
        if (chunk.length === chunksize) {
          this.#chunks.push(submit(chunk));
          chunk = [];
        }
      }
      if (chunk.length > 0) this.#chunks.push(submit(chunk));
      this.#sourceDone = true;
    } else {
      this.#source = items[Symbol.asyncIterator]();
      void this.#pump(this.#source, chunksize, submit);
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<R>> {
    for (;;) {
      if (this.#index < this.#current.length) {
        const value = this.#current[this.#index]!;
        this.#current[this.#index++] = undefined as R; // let yielded results be collected
        return { value, done: false };
      }
      if (this.#closed) return { value: undefined, done: true };
      const chunk = this.#chunks.shift();
      try {
        if (chunk !== undefined) {
          this.#current = await chunk;
          this.#index = 0;
          continue;
        }
        if (this.#sourceFailed) throw this.#sourceError;
        if (this.#sourceDone) {
          this.#close();
          continue;
        }
        const wake = new Future<void>();
        this.#wake = wake;
        await wake; // a cancellation point: cancelling the consumer lands here or on `chunk`
      } catch (e) {
        this.#close();
        throw e;
      }
    }
  }

  async return(): Promise<IteratorResult<R>> {
    this.#close();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<R>> {
    this.#close();
    throw error;
  }

  /** Stops reading the input and cancels every call whose result was not consumed. */
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#current = [];
    for (let f = this.#chunks.shift(); f !== undefined; f = this.#chunks.shift()) {
      // A chunk that already failed is dropped on purpose: mark its error as seen.
      if (!f.cancel() && !f.cancelled()) f.exception();
    }
    this.#wakeUp();
    const source = this.#source;
    this.#source = null;
    if (source?.return) void Promise.resolve(source.return()).catch(() => {});
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    if (wake !== null && !wake.done()) wake.setResult();
  }

  async #pump(source: AsyncIterator<T>, chunksize: number, submit: SubmitChunk<T, R>) {
    let chunk: T[] = [];
    try {
      for (;;) {
        const step = await source.next();
        if (this.#closed) return;
        if (step.done) break;
        chunk.push(step.value);
        if (chunk.length === chunksize) {
          this.#chunks.push(submit(chunk));
          chunk = [];
          this.#wakeUp();
        }
      }
      if (chunk.length > 0) this.#chunks.push(submit(chunk));
      this.#sourceDone = true;
    } catch (e) {
      if (this.#closed) return;
      this.#sourceFailed = true;
      this.#sourceError = e;
    }
    this.#wakeUp();
  }
}
