/**
 * asyncio-ts: Python asyncio's structured concurrency for TypeScript.
 *
 * Every public name is listed here explicitly; nothing under core/ is exported wholesale.
 * @module
 */

export { AsCompleted, type AsCompletedOptions, asCompleted } from "./as-completed.js";
// Synchronization, queues, rate limiting
export { Barrier, type BarrierState, type BarrierStatistics } from "./barrier.js";
export { Condition, type ConditionStatistics } from "./condition.js";
export type { Clock } from "./core/clock.js";
export type { Executor } from "./core/default-executor.js";
// Futures and tasks
export { type DoneCallback, Future } from "./core/future.js";
export { Handle, TimerHandle } from "./core/handle.js";
export {
  EventLoop,
  type ExceptionContext,
  type ExceptionHandler,
  getRunningLoop,
} from "./core/loop.js";
export { Task, type TaskOptions } from "./core/task.js";
// Errors
export {
  BrokenBarrierError,
  BrokenExecutorError,
  CancelledError,
  ExceptionGroup,
  InvalidStateError,
  KeyboardInterrupt,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  TimeoutError,
} from "./errors.js";
export { Event, type EventStatistics } from "./event.js";
// Executors
export { type ModuleReference, moduleFunction } from "./executors/module-function.js";
export {
  type MapOptions,
  PoolExecutor,
  type PoolStatistics,
  type ShutdownOptions,
} from "./executors/pool-executor.js";
export { ProcessPoolExecutor, type ProcessPoolOptions } from "./executors/process-pool.js";
export { ThreadPoolExecutor, type ThreadPoolOptions } from "./executors/thread-pool.js";
export { toThread } from "./executors/to-thread.js";
export { type TransferItem, withTransfer } from "./executors/transfer.js";
// Running things concurrently
export { GatheringFuture, type GatherOptions, gather } from "./gather.js";
export { Held } from "./held.js";
// Introspection
export { describeAwait, formatTaskTree, printTaskTree } from "./introspection.js";
export {
  KeyedRateLimiter,
  type KeyedRateLimiterStatistics,
} from "./keyed-rate-limiter.js";
export { Lock, type LockStatistics } from "./lock.js";
export {
  type Compare,
  defaultCompare,
  LifoQueue,
  PriorityQueue,
  type PriorityQueueOptions,
} from "./priority-queue.js";
export { Queue, type QueueStatistics } from "./queue.js";
export {
  RateLimiter,
  type RateLimiterOptions,
  type RateLimiterStatistics,
} from "./rate-limiter.js";
// Running
export { type RunOptions, run } from "./run.js";
export { BoundedSemaphore, Semaphore, type SemaphoreStatistics } from "./semaphore.js";
export { shield } from "./shield.js";
export { cancellable, sleep } from "./sleep.js";
export { TaskGroup, taskGroup } from "./task-group.js";
export {
  type Awaitable,
  allTasks,
  createTask,
  currentTask,
  ensureFuture,
  getEventLoop,
} from "./tasks.js";
export { Timeout, timeout, timeoutAt } from "./timeouts.js";
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  wait,
} from "./wait.js";
export { waitFor } from "./wait-for.js";
