/**
 * GrantWaiter and GrantQueue: the waiting path of a contended Lock or Semaphore.
 *
 * asyncio parks an acquiring task on a Future in a deque, and runs the bookkeeping after
 * `await fut` when the task resumes. Here one object plays all three parts: the queue node, the
 * task's waiter (what `task.cancel()` cancels) and the resume step. The task awaits one bare
 * native promise; a wait allocates no Future, no closure and no second promise. This is the path
 * every task of a `gather` behind a `Semaphore(16)` takes, and what it holds while it waits is
 * what the garbage collector copies (about half the time of that workload), so it is kept small.
 *
 * The resume step runs through the promise machinery itself: `_grant()` and `cancel()` resolve
 * the task's promise with the waiter, which is a thenable, so one microtask later the promise
 * calls the waiter's `then` (inside the task's context, as the task's continuation), and `then`
 * settles the promise with `true` or a CancelledError. That is the moment asyncio runs the code
 * after `await fut`; until then the wait holds nothing but the promise and this object.
 *
 * Semantics are those of a Future waiter (mechanism 2 of ARCHITECTURE.md, asyncio's locks.py):
 * - `_grant()` (a release handed the permit or the lock to this waiter): the owner's
 *   `_granted()` runs in the resume step.
 * - `cancel()` while waiting leaves the queue at once (nothing was given); the owner's
 *   `_abandoned(false)` runs in the resume step, which fails the await.
 * - A waiter granted and then cancelled before its resume step: `cancel()` returns false, so the
 *   task records the cancellation as pending; the resume step consumes it (as asyncio's
 *   Task.__step does), fails the await and calls `_abandoned(true)` so the owner passes the
 *   grant on.
 * - The same, when the cancel comes from a future that adopted the acquire's promise
 *   (`waitFor(lock.acquire(), t)` timing out in the turn of the release): no pending
 *   cancellation of the task reaches the resume step, so the waiter itself must remember it.
 *   `cancel()` of a granted waiter marks it RETURNING; `absorbsCancel()`, which only
 *   `Task.cancel` calls right after a `cancel()` that returned false, takes that back (the
 *   task's pending cancellation carries it, as above); otherwise the resume step passes the
 *   grant on, as asyncio's acquire does when the task wrapping it is cancelled after its
 *   wake-up.
 *
 * Invariant: a GrantQueue holds exactly the waiters still WAITING, each once; the task's promise
 * is resolved (with the waiter) exactly once, by whichever of `_grant()` and `cancel()` ends the
 * wait, and the resume step settles it exactly once.
 */
import { CancelledError } from "../errors.js";
import { barePromise, capturedResolve } from "./bare-promise.js";
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
/** Granted, then given up by an adopting future before the resume step: pass the grant on. */
const RETURNED = 3;
/** Granted, then cancel(): RETURNED unless absorbsCancel() follows (the task's own cancel). */
const RETURNING = 4;

/** One task waiting in a GrantQueue; see the module notes. */
export class GrantWaiter implements Waiter, FifoNode<GrantWaiter> {
  /** @internal */ _prev: GrantWaiter | null = null;
  /** @internal */ _next: GrantWaiter | null = null;
  /** @internal The queue this waiter is linked into; null once it left. */
  _queue: LinkedFifo<GrantWaiter> | null = null;
  /** @internal */ _state:
    | typeof WAITING
    | typeof GRANTED
    | typeof CANCELLED
    | typeof RETURNED
    | typeof RETURNING = WAITING;
  /** @internal The message of the cancel() that ended the wait. */
  _cancelMessage: string | undefined = undefined;

  /** @internal */
  constructor(
    /** The task that waits (undefined for an acquire made outside any task). */
    readonly task: Task<unknown> | undefined,
    readonly owner: GrantOwner,
    /** Resolves the promise the task awaits; called once, with this waiter. */
    private readonly endWait: (waiter: GrantWaiter) => void,
  ) {}

  /** @internal Hands the grant over: the task resumes with it (see `then`). */
  _grant(): void {
    this._state = GRANTED;
    this.endWait(this);
  }

  /** Ends the wait with CancelledError(msg); false if the grant was already handed over. */
  cancel(msg?: string): boolean {
    if (this._state !== WAITING) {
      // Granted and not resumed: whoever cancels gave up on this acquire (see the module notes).
      if (this._state === GRANTED) {
        this._state = RETURNING;
        this._cancelMessage = msg;
      } else if (this._state === RETURNING) {
        this._state = RETURNED; // an adopter's cancel, then the task's: no taking back
      }
      return false;
    }
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._queue?._unlink(this);
    this.endWait(this);
    return true;
  }

  done(): boolean {
    return this._state !== WAITING;
  }

  /**
   * Called only by `Task.cancel`, right after `cancel()` returned false: the cancel was the
   * task's own, and reaches the resume step as the task's pending cancellation. Returns false
   * (the cancellation is not on its way through this waiter).
   */
  absorbsCancel(): boolean {
    if (this._state === RETURNING) this._state = GRANTED;
    return false;
  }

  /**
   * The resume step (see the module notes): called by the promise machinery, once, one microtask
   * after `_grant()` or `cancel()` resolved the task's promise with this waiter. Nothing else may
   * call it; nothing else resolves a promise with a GrantWaiter.
   */
  then(acquired: (value: true) => void, failed: (error: CancelledError) => void): void {
    const task = this.task;
    if (task !== undefined && task._futWaiter === this) task._futWaiter = null;
    if (this._state === RETURNED || this._state === RETURNING) {
      // The adopter gave up (see cancel()); the task's own cancellations are not ours to consume.
      this.owner._abandoned(true);
      failed(new CancelledError(this._cancelMessage ?? ""));
      return;
    }
    if (this._state === GRANTED) {
      if (task === undefined || !task._mustCancel) {
        this.owner._granted();
        acquired(true);
        return;
      }
      // Cancelled after the grant and before this step: the await fails, the grant moves on.
      task._mustCancel = false;
      this.owner._abandoned(true);
      failed(new CancelledError(task._cancelMessage ?? ""));
      return;
    }
    // Cancelled while waiting; a second cancel() that arrived meanwhile is part of this delivery.
    if (task !== undefined) task._mustCancel = false;
    this.owner._abandoned(false);
    failed(new CancelledError(this._cancelMessage ?? ""));
  }

  /** What the task awaits, for introspection: the lock or semaphore itself. */
  toString(): string {
    return String(this.owner);
  }
}

/** A FIFO of GrantWaiters with O(1) push, shift and removal of a cancelled one. */
export class GrantQueue extends LinkedFifo<GrantWaiter> {}

/**
 * The waiting path of an acquire: queues a waiter for the calling task in `queue` and returns
 * the promise the task awaits (true once granted). The waiter becomes the task's waiter at once,
 * so `task.cancel()` reaches it. A pending cancellation is delivered here, before queueing. The
 * promise carries the waiter under STOP, so adopting it (`waitFor(lock.acquire(), t)`) takes the
 * waiter out of the queue when the adopter is cancelled (or, if it was already granted, passes the
 * grant on), instead of leaving it to take the grant for nobody.
 */
export function awaitGrant(queue: GrantQueue, owner: GrantOwner): Promise<true> {
  const task = currentTaskOrUndefined();
  const cancelled = takePendingCancel(task);
  if (cancelled !== null) return Promise.reject(cancelled);
  const promise = barePromise<true>();
  const waiter = new GrantWaiter(task, owner, capturedResolve);
  queue.pushNode(waiter);
  if (task !== undefined) task._futWaiter = waiter;
  (promise as { [STOP]?: GrantWaiter })[STOP] = waiter;
  return promise;
}
