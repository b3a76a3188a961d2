/**
 * What a pool needs from one worker, whether a thread or a process: send a call, hear replies
 * and unexpected deaths, keep the process alive only while busy, and stop it on demand.
 * @module
 */
import type { TransferListItem } from "node:worker_threads";
import type { CallMessage, ReplyMessage } from "./worker-protocol.js";

/** Callbacks from a worker to its pool. */
export interface WorkerEvents {
  /** A reply to the call the worker is running. */
  message(reply: ReplyMessage): void;
  /**
   * The worker died without being asked to (crash, `process.exit`, killed by the OS).
   * `exitCode` is the exit code, or the signal name for a process killed by a signal;
   * `cause` is the uncaught error that killed it, when known.
   */
  exit(exitCode: number | string, cause: unknown): void;
  /** A reply arrived but could not be deserialized (`messageerror`): the call's result is lost. */
  undeliverable(error: unknown): void;
}

/** One worker, owned by exactly one pool. */
export interface WorkerHandle {
  /** Sends a call. Throws synchronously when the message cannot be cloned. */
  send(msg: CallMessage, transfer: readonly TransferListItem[]): void;
  /** Keep the process alive (the worker is busy). */
  ref(): void;
  /** Let the process exit even though this worker exists (the worker is idle). */
  unref(): void;
  /** Stops the worker at once, whatever it is doing. No `exit` event follows. */
  terminate(): Promise<void>;
}

/** Starts a worker; the pool supplies the callbacks. */
export type WorkerFactory = (events: WorkerEvents) => WorkerHandle;
