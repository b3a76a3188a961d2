/**
 * asyncio-ts: Python asyncio's structured concurrency for TypeScript.
 *
 * Every public name is listed here explicitly, grouped like API.md; nothing under core/ is
 * exported wholesale. (Biome's import sorting is off for this file so the groups stay readable.)
 * @module
 */
// biome-ignore-all assist/source/organizeImports: exports are grouped by API.md section

// Running
export { run, type RunOptions } from "./run.js";
export { EventLoop, getRunningLoop } from "./core/loop.js";
export type { ExceptionContext, ExceptionHandler } from "./core/exception-context.js";
export { Handle, TimerHandle } from "./core/handle.js";
export type { Clock } from "./core/clock.js";
export type { Executor } from "./core/default-executor.js";

// Futures and tasks
export { Future, type DoneCallback } from "./core/future.js";
export { Task, type TaskOptions } from "./core/task.js";
export {
  allTasks,
  createTask,
  currentTask,
  ensureFuture,
  getEventLoop,
  type Awaitable,
} from "./tasks.js";
export { cancellable, sleep } from "./sleep.js";

// Running things concurrently
export { gather, GatheringFuture, type GatherOptions } from "./gather.js";
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  wait,
  type ReturnWhen,
  type WaitOptions,
} from "./wait.js";
export { AsCompleted, asCompleted, type AsCompletedOptions } from "./as-completed.js";
export { waitFor } from "./wait-for.js";
export { Timeout, timeout, timeoutAt } from "./timeouts.js";
export { shield } from "./shield.js";
export { TaskGroup, taskGroup } from "./task-group.js";

// Introspection
export { describeAwait, formatTaskTree, printTaskTree } from "./introspection.js";

// Synchronization
export { Lock, type LockStatistics } from "./lock.js";
export { Event, type EventStatistics } from "./event.js";
export { Condition, type ConditionStatistics } from "./condition.js";
export { BoundedSemaphore, Semaphore, type SemaphoreStatistics } from "./semaphore.js";
export { Barrier, type BarrierState, type BarrierStatistics } from "./barrier.js";
export { Held } from "./held.js";

// Queues
export { Queue, type QueueStatistics } from "./queue.js";
export {
  defaultCompare,
  LifoQueue,
  PriorityQueue,
  type Compare,
  type PriorityQueueOptions,
} from "./priority-queue.js";

// Executors
export { toThread } from "./executors/to-thread.js";
export { ThreadPoolExecutor, type ThreadPoolOptions } from "./executors/thread-pool.js";
export { ProcessPoolExecutor, type ProcessPoolOptions } from "./executors/process-pool.js";
export {
  PoolExecutor,
  type MapOptions,
  type PoolStatistics,
  type ShutdownOptions,
} from "./executors/pool-executor.js";
export { moduleFunction, type ModuleReference } from "./executors/module-function.js";
export { withTransfer, type TransferItem } from "./executors/transfer.js";

// Rate limiting
export {
  RateLimiter,
  type RateLimiterOptions,
  type RateLimiterStatistics,
} from "./rate-limiter.js";
export { KeyedRateLimiter, type KeyedRateLimiterStatistics } from "./keyed-rate-limiter.js";

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
