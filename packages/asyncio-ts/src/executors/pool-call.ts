/**
 * The pool's bookkeeping records: one {@link Call} per submitted call, one {@link PoolWorker}
 * per started worker.
 * @module
 */
import type { TransferListItem } from "node:worker_threads";
import type { Future } from "../core/future.js";
import type { FunctionSpec } from "./source-function.js";
import type { WorkerHandle } from "./worker-handle.js";

/** queued: waiting for a worker; running: sent to one; finished: settled, cancelled or failed. */
export type CallState = "queued" | "running" | "finished";

/**
 * One call. It is also its future's `_onCancel` hook (the kernel's waiter-queue pattern): the
 * future calls `cancel()` synchronously when it is cancelled, so a queued call leaves the queue
 * and a running call's worker is stopped at that moment, with no callback allocated per call.
 */
export class Call {
  state: CallState = "queued";
  /** Invariant: set exactly while `state === "running"`. */
  worker: PoolWorker | undefined = undefined;

  constructor(
    readonly id: number,
    readonly spec: FunctionSpec,
    readonly args: readonly unknown[],
    readonly transfer: readonly TransferListItem[],
    readonly batch: boolean,
    readonly future: Future<any>,
    private readonly onCancel: (call: Call) => void,
  ) {}

  /** Called by the future when it is cancelled (never after the pool settled it). */
  cancel(): void {
    this.onCancel(this);
  }
}

/** One started worker, as the pool sees it. */
export interface PoolWorker {
  readonly handle: WorkerHandle;
  /** Invariant: the call this worker runs, and `call.worker === this`; undefined when idle. */
  call: Call | undefined;
  /** Ids of the function specs this worker was sent (later calls send only the id). */
  readonly known: Set<number>;
}
