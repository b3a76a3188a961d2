/**
 * WaiterQueue: the FIFO of futures that the synchronization primitives, the queues and the rate
 * limiter park their waiting tasks on (mechanism 4 of ARCHITECTURE.md).
 *
 * A LinkedFifo, so every operation is O(1): push at either end, shift the oldest, and remove
 * any node. The removal that matters is the one on cancellation: `push()` installs the
 * node as the future's `_onCancel` hook, so the moment a waiting future is cancelled (its task
 * was cancelled, a timeout expired, `waitFor` gave up) it unlinks itself synchronously, before
 * any other code runs. Hence:
 *
 * Invariant: the queue holds exactly the futures that are still pending. A future leaves it by
 * `shift()` (the primitive is about to settle it) or by being cancelled; nothing else settles
 * these futures. So the primitives never have to skip dead waiters (asyncio walks its deque
 * for `not fut.done()`), and `length` is the number of tasks really waiting.
 */
import { CancelledError } from "../errors.js";
import { eventLoop } from "./context.js";
import { Future } from "./future.js";
import { type FifoNode, LinkedFifo } from "./linked-fifo.js";
import type { Task } from "./task.js";

/** One waiting future in a WaiterQueue; `data` is what the waiter asked for (a weight, ...). */
export class WaiterNode<T, D = undefined> implements FifoNode<WaiterNode<T, D>> {
  /** @internal */ _prev: WaiterNode<T, D> | null = null;
  /** @internal */ _next: WaiterNode<T, D> | null = null;
  /** @internal The queue this node is linked into; null once it left. */
  _queue: WaiterQueue<T, D> | null = null;

  constructor(
    readonly future: Future<T>,
    readonly data: D,
  ) {}

  /** Called by `Future._settle` when the future is cancelled: leave the queue at once. */
  cancel(): void {
    const queue = this._queue;
    if (queue !== null) {
      queue._unlink(this);
      queue._onCancel?.(this);
    }
  }
}

/** A FIFO of pending futures with O(1) removal of a cancelled one. */
export class WaiterQueue<T, D = undefined> extends LinkedFifo<WaiterNode<T, D>> {
  /** `onCancel(node)` runs synchronously after a cancelled waiter left the queue. */
  constructor(readonly _onCancel: ((node: WaiterNode<T, D>) => void) | null = null) {
    super();
  }

  /** Appends `future` (pending) at the back; cancelling it removes it. */
  push(future: Future<T>, data?: D): WaiterNode<T, D> {
    const node = new WaiterNode<T, D>(future, data as D);
    this.pushNode(node);
    future._onCancel = node;
    return node;
  }

  /** Puts `future` at the front: a woken waiter that must wait again keeps its turn. */
  pushFront(future: Future<T>, data?: D): WaiterNode<T, D> {
    const node = new WaiterNode<T, D>(future, data as D);
    this.pushNodeFront(node);
    future._onCancel = node;
    return node;
  }

  /** Removes and returns the oldest future; the caller settles it. */
  shift(): Future<T> | undefined {
    const node = this.shiftNode();
    if (node === undefined) return undefined;
    node.future._onCancel = null;
    return node.future;
  }
}

/**
 * A pending future on the loop of `task` (or of the caller, outside any task), standing for
 * `owner` (the lock, queue... that the task waits in): introspection shows `String(owner)` as
 * what the task awaits.
 */
export function waiterFuture<T>(task: Task<unknown> | undefined, owner: object): Future<T> {
  const future = new Future<T>(task !== undefined ? task._loop : eventLoop());
  future._owner = owner;
  return future;
}

/**
 * The fast path of every wait is a cancellation point too (Trio's rule, and what awaiting a done
 * future does in this kernel): if the running task has a cancellation pending, consume it and
 * return the CancelledError to throw; otherwise null. Costs one read of the current task.
 */
export function takePendingCancel(task: Task<unknown> | undefined): CancelledError | null {
  if (task === undefined || !task._mustCancel) return null;
  task._mustCancel = false;
  return new CancelledError(task._cancelMessage ?? "");
}

/** True if `future` was settled with a result: its waiter was given something. */
export function wasGranted(future: Future<unknown>): boolean {
  return future.done() && !future.cancelled();
}
