/**
 * GrantWaiter and GrantQueue: the waiting path of a contended Lock or Semaphore.
 *
 * asyncio parks an acquiring task on a Future in a deque, and runs the bookkeeping after
 * `await fut` when the task resumes. Here one object plays all three parts: the queue node, the
 * task's waiter (what `task.cancel()` cancels) and the record the resume reads. The task awaits
 * one native promise chained to two module-level handlers, so a wait allocates no closures and
 * no Future; this is the path every task of a `gather` behind a `Semaphore(16)` takes.
 *
 * Semantics are those of a Future waiter (mechanism 2 of ARCHITECTURE.md, asyncio's locks.py):
 * - `grant()` (a release handed the permit or the lock to this waiter) resolves it; the owner's
 *   `_granted()` runs when the task resumes, like the code after asyncio's `await fut`.
 * - `cancel()` while waiting leaves the queue at once (nothing was given) and rejects it; the
 *   owner's `_abandoned(false)` runs on resume.
 * - A waiter granted and then cancelled before it resumed: `cancel()` returns false, so the task
 *   records the cancellation as pending; the resume consumes it (as asyncio's Task.__step does),
 *   throws CancelledError and calls `_abandoned(true)` so the owner passes the grant on.
 *
 * Invariant: a GrantQueue holds exactly the waiters still WAITING, each once.
 */
import { CancelledError } from "../errors.js";
import { barePromise, capturedReject, capturedResolve } from "./bare-promise.js";
import { currentTaskOrUndefined } from "./context.js";
import { STOP } from "./future.js";
import { type FifoNode, LinkedFifo } from "./linked-fifo.js";
import type { Task, Waiter } from "./task.js";
import { takePendingCancel } from "./waiter-queue.js";

/** The primitive a GrantWaiter waits in: it decides what resuming with or without the grant does. */
export interface GrantOwner {
  /** The waiter resumed with the grant: take it (the code after asyncio's `await fut`). */
  _granted(): void;
  /**
   * The waiter resumed with CancelledError instead: cancelled while waiting (`wasGranted`
   * false; it already left the queue) or granted and cancelled before it ran (true: the owner
   * must pass the grant on).
   */
  _abandoned(wasGranted: boolean): void;
}

const WAITING = 0;
const GRANTED = 1;
const CANCELLED = 2;

/** One task waiting in a GrantQueue; see the module notes. */
export class GrantWaiter implements Waiter, FifoNode<GrantWaiter> {
  /** @internal */ _prev: GrantWaiter | null = null;
  /** @internal */ _next: GrantWaiter | null = null;
  /** @internal The queue this waiter is linked into; null once it left. */
  _queue: LinkedFifo<GrantWaiter> | null = null;
  /** @internal */ _state: typeof WAITING | typeof GRANTED | typeof CANCELLED = WAITING;
  /** @internal The message of the cancel() that ended the wait. */
  _cancelMessage: string | undefined = undefined;

  /** @internal */
  constructor(
    /** The task that waits (undefined for an acquire made outside any task). */
    readonly task: Task<unknown> | undefined,
    readonly owner: GrantOwner,
    private readonly resolve: (waiter: GrantWaiter) => void,
    private readonly reject: (waiter: GrantWaiter) => void,
  ) {}

  /** @internal Hands the grant over: the task resumes with it (see `resumeGranted`). */
  _grant(): void {
    this._state = GRANTED;
    this.resolve(this);
  }

  /** Ends the wait with CancelledError(msg); false if the grant was already handed over. */
  cancel(msg?: string): boolean {
    if (this._state !== WAITING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._queue?._unlink(this);
    this.reject(this);
    return true;
  }

  done(): boolean {
    return this._state !== WAITING;
  }

  /** What the task awaits, for introspection: the lock or semaphore itself. */
  toString(): string {
    return String(this.owner);
  }
}

/** A FIFO of GrantWaiters with O(1) push, shift and removal of a cancelled one. */
export class GrantQueue extends LinkedFifo<GrantWaiter> {}

/** The task resumes after `_grant()` (the promise resolved with its waiter). */
function resumeGranted(waiter: GrantWaiter): true {
  const task = waiter.task;
  if (task !== undefined) {
    if (task._futWaiter === waiter) task._futWaiter = null;
    if (task._mustCancel) {
      // Cancelled after the grant and before this resume: the await fails, the grant moves on.
      task._mustCancel = false;
      waiter.owner._abandoned(true);
      throw new CancelledError(task._cancelMessage ?? "");
    }
  }
  waiter.owner._granted();
  return true;
}

/** The task resumes after `cancel()` (the promise rejected with its waiter). */
function resumeCancelled(waiter: GrantWaiter): never {
  const task = waiter.task;
  if (task !== undefined) {
    if (task._futWaiter === waiter) task._futWaiter = null;
    // A second cancel() that arrived meanwhile is part of this delivery.
    task._mustCancel = false;
  }
  waiter.owner._abandoned(false);
  throw new CancelledError(waiter._cancelMessage ?? "");
}

/**
 * The waiting path of an acquire: queues a waiter for the calling task in `queue` and returns
 * the promise the task awaits (true once granted). The waiter becomes the task's waiter at once,
 * so `task.cancel()` reaches it. A pending cancellation is delivered here, before queueing. The
 * promise carries the waiter under STOP, so adopting it (`waitFor(lock.acquire(), t)`) takes the
 * waiter out of the queue when the adopter is cancelled, instead of leaving it to take the grant
 * for nobody.
 */
export function awaitGrant(queue: GrantQueue, owner: GrantOwner): Promise<true> {
  const task = currentTaskOrUndefined();
  const cancelled = takePendingCancel(task);
  if (cancelled !== null) return Promise.reject(cancelled);
  const settled = barePromise<GrantWaiter>();
  const waiter = new GrantWaiter(task, owner, capturedResolve, capturedReject);
  queue.pushNode(waiter);
  if (task !== undefined) task._futWaiter = waiter;
  const promise = settled.then(resumeGranted, resumeCancelled);
  (promise as { [STOP]?: GrantWaiter })[STOP] = waiter;
  return promise;
}
