/**
 * timeout() and timeoutAt(): scoped deadlines (asyncio.timeout, Python 3.11+).
 *
 * A deadline cancels the task that entered the scope. When the body ends, the scope compares
 * the task's `cancelling()` count with the count it saw on entry: if only its own request is
 * left (`uncancel()` brings it back to the entry count), the CancelledError is the scope's own
 * and becomes TimeoutError; otherwise someone else (an outer timeout, a user) also cancelled the
 * task and the CancelledError propagates. This is what makes nested scopes attribute correctly.
 */

import { currentTaskOrUndefined } from "./core/context.js";
import type { Handle } from "./core/handle.js";
import type { Task } from "./core/task.js";
import { CancelledError, describe, RuntimeError, TimeoutError } from "./errors.js";
import { runInFreshTask } from "./fresh-task.js";
import { bodyError, timeoutError } from "./validate.js";

/** Timeout states; the transitions are CREATED → ENTERED → (EXPIRING → EXPIRED | EXITED). */
type State = "created" | "active" | "expiring" | "expired" | "finished";

function expire(scope: Timeout): void {
  scope._onTimeout();
}

/**
 * The deadline of a `timeout`/`timeoutAt` scope, handed to its body: read it with `when()`,
 * move it with `reschedule()`, and ask `expired()` after the fact.
 *
 * @example
 * ```ts
 * import { run, timeout, sleep, getRunningLoop } from "asyncio-ts";
 * await run(async () => {
 *   await timeout(1, async (cm) => {
 *     cm.reschedule(getRunningLoop().time() + 2); // more time
 *     await sleep(0.01);
 *     console.log(cm.expired()); // false
 *   });
 * });
 * ```
 */
export class Timeout {
  private state: State = "created";
  private deadline: number | null;
  private handle: Handle | null = null;
  private task: Task<unknown> | null = null;
  /** The task's cancelling() count on entry; see the module comment. */
  private cancellingOnEntry = 0;

  /** @internal Use `timeout()` or `timeoutAt()`. `expiryMessage` becomes the TimeoutError's. */
  constructor(
    when: number | null,
    private expiryMessage: string,
  ) {
    this.deadline = when;
  }

  /** The deadline in loop seconds, or null for none. */
  when(): number | null {
    return this.deadline;
  }

  /** Moves the deadline to loop time `when` (null: no deadline). Only while the scope is active. */
  reschedule(when: number | null): void {
    if (this.state !== "active") {
      throw new RuntimeError(
        this.state === "created"
          ? "Timeout has not been entered"
          : `Cannot change state of ${this.state} Timeout`,
      );
    }
    if (when !== null && (typeof when !== "number" || Number.isNaN(when))) {
      throw new TypeError(
        `reschedule() expected a loop time in seconds or null, got ${describe(when)}`,
      );
    }
    if (this.task !== null && when !== null && when !== this.deadline) {
      // The message of the original delay would be wrong now: name the deadline that expired.
      this.expiryMessage = `timeout expired at loop time ${when.toFixed(3)} (rescheduled)`;
    }
    this.deadline = when;
    this.handle?.cancel();
    this.handle = null;
    if (when !== null) {
      const loop = this.task!._loop;
      // A deadline already passed expires on the loop's next turn, never synchronously, and
      // before a `sleep(0)` the body starts after this call returns: asyncio uses call_soon
      // here, so `timeout(0)` around `await sleep(0)` times out. A timer due now would fire
      // only after that yield.
      this.handle =
        when <= loop.time()
          ? loop._handleAfterIo(expire, this)
          : loop._timerAt(when, expire, this, undefined);
    }
  }

  /** True if the deadline passed while the scope was active. */
  expired(): boolean {
    return this.state === "expiring" || this.state === "expired";
  }

  toString(): string {
    const when =
      this.state === "active" && this.deadline !== null ? ` when=${this.deadline.toFixed(3)}` : "";
    return `<Timeout [${this.state}]${when}>`;
  }

  /** @internal */
  _enter(task: Task<unknown>): void {
    if (this.state !== "created") throw new RuntimeError("Timeout has already been entered");
    this.state = "active";
    this.task = task;
    this.cancellingOnEntry = task.cancelling();
    this.reschedule(this.deadline);
  }

  /** @internal Returns the error to throw in place of `error`, or undefined to rethrow as is. */
  _exit(failed: boolean, error: unknown): TimeoutError | undefined {
    this.handle?.cancel();
    this.handle = null;
    if (this.state === "expiring") {
      this.state = "expired";
      if (
        this.task!.uncancel() <= this.cancellingOnEntry &&
        failed &&
        error instanceof CancelledError
      ) {
        return new TimeoutError(this.expiryMessage, { cause: error });
      }
    } else if (this.state === "active") {
      this.state = "finished";
    }
    return undefined;
  }

  /** @internal */
  _onTimeout(): void {
    this.handle = null;
    if (this.state !== "active") return;
    this.task!.cancel();
    this.state = "expiring";
  }
}

/**
 * Runs `body` with a deadline `delay` seconds from now (null: no deadline). If the deadline
 * passes, the body is cancelled at its current await and `timeout` throws `TimeoutError`
 * (with the CancelledError as `cause`). Outside any task the body runs in a fresh task.
 * Bad arguments reject (`TypeError`, `RangeError` for NaN); it never throws (docs/errors.md).
 *
 * @example
 * ```ts
 * import { run, timeout, sleep, TimeoutError } from "asyncio-ts";
 * await run(async () => {
 *   try {
 *     await timeout(0.01, async () => { await sleep(10); });
 *   } catch (e) {
 *     console.log(e instanceof TimeoutError); // true
 *   }
 * });
 * ```
 */
export function timeout<T>(
  delay: number | null,
  body: (cm: Timeout) => Promise<T> | T,
): Promise<T> {
  // Bad arguments reject, never throw (docs/errors.md).
  const invalid = timeoutError("timeout()", delay) ?? bodyError("timeout()", body, BODY);
  if (invalid !== null) return Promise.reject(invalid);
  const seconds = delay ?? null;
  return timeoutWithMessage(seconds, body, `timeout(${seconds}) expired`);
}

/** @internal `timeout` whose TimeoutError carries `expiryMessage` (waitFor uses it). */
export function timeoutWithMessage<T>(
  seconds: number | null,
  body: (cm: Timeout) => Promise<T> | T,
  expiryMessage: string,
): Promise<T> {
  return runScoped(
    (task) => new Timeout(seconds === null ? null : task._loop.time() + seconds, expiryMessage),
    body,
  );
}

/**
 * Like `timeout`, with an absolute deadline in loop time (`getRunningLoop().time()` seconds).
 *
 * @example
 * ```ts
 * import { run, timeoutAt, getRunningLoop, sleep } from "asyncio-ts";
 * await run(async () => {
 *   const result = await timeoutAt(getRunningLoop().time() + 1, async () => sleep(0.01, "in time"));
 *   console.log(result); // "in time"
 * });
 * ```
 */
export function timeoutAt<T>(
  when: number | null,
  body: (cm: Timeout) => Promise<T> | T,
): Promise<T> {
  const invalid = timeoutError("timeoutAt()", when) ?? bodyError("timeoutAt()", body, BODY);
  if (invalid !== null) return Promise.reject(invalid);
  const deadline = when ?? null;
  return runScoped(() => new Timeout(deadline, `timeoutAt(${deadline}) expired`), body);
}

const BODY = "async (cm) => ...";

function runScoped<T>(
  make: (task: Task<unknown>) => Timeout,
  body: (cm: Timeout) => Promise<T> | T,
): Promise<T> {
  const task = currentTaskOrUndefined();
  if (task === undefined) return runInFreshTask(() => runScoped(make, body));
  return runInScope(task, make(task), body);
}

async function runInScope<T>(
  task: Task<unknown>,
  scope: Timeout,
  body: (cm: Timeout) => Promise<T> | T,
): Promise<T> {
  scope._enter(task);
  let result: T;
  try {
    result = await body(scope);
  } catch (error) {
    throw scope._exit(true, error) ?? error;
  }
  scope._exit(false, undefined);
  return result;
}
