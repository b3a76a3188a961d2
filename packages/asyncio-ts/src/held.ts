/**
 * Held: what `hold()` of a Lock, Condition or semaphore returns, for scoped use with
 * `await using` (or `using`): leaving the scope releases what was acquired, exactly once.
 */

/** Something `hold()` can release. */
interface Releasable {
  release(): void;
}

/**
 * A held lock or semaphore permit. Leaving an `await using` (or `using`) scope releases it;
 * `release()` does the same by hand. Releasing twice through the same `Held` is a no-op, so a
 * manual `release()` inside the scope does not double-release on exit.
 *
 * @example
 * ```ts
 * import { run, Lock } from "asyncio-ts";
 * await run(async () => {
 *   const lock = new Lock();
 *   {
 *     await using _held = await lock.hold();
 *     console.log(lock.locked()); // true
 *   }
 *   console.log(lock.locked()); // false
 * });
 * ```
 */
export class Held implements AsyncDisposable, Disposable {
  private owner: Releasable | null;

  /** @internal Created by `hold()`. */
  constructor(owner: Releasable) {
    this.owner = owner;
  }

  /** True until the hold is released. */
  get held(): boolean {
    return this.owner !== null;
  }

  /** Releases the lock or permit now (once; later calls do nothing). */
  release(): void {
    const owner = this.owner;
    if (owner !== null) {
      this.owner = null;
      owner.release();
    }
  }

  [Symbol.dispose](): void {
    this.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }

  toString(): string {
    return `<Held ${this.owner === null ? "released" : String(this.owner)}>`;
  }
}

/** Acquires `owner` and wraps it in a `Held` (shared by every `hold()`). */
export function holdAfter(acquired: Promise<unknown>, owner: Releasable): Promise<Held> {
  return acquired.then(() => new Held(owner));
}
