/**
 * The programs of the tour, in the order of the seeds. To add a program: write
 * `examples/src/<module>.ts` exporting `main(out, options)` (see `lib/program.ts`), then add or
 * complete its entry here. An entry whose module is not built yet is listed by the tour as
 * "coming with <feature>" and does not fail it.
 */

/** One program of the tour. */
export interface TourEntry {
  /** The module's file name in examples/src, without extension (e.g. "seed000-delivery"). */
  module: string;
  /** The seed and section it ports, as the tour's heading shows it. */
  seed: string;
  /** One line: what the program shows. */
  shows: string;
  /** The feature that brings the module, named while the module does not exist yet. */
  feature?: string;
  /** Extra options passed to `main` besides the clock (e.g. shorter real blocking waits). */
  options?: Record<string, unknown>;
  /** Run on real time instead of a VirtualClock (for programs whose waits are real work). */
  realTime?: boolean;
}

/** Every program of the five seeds, in order. */
export const TOUR: readonly TourEntry[] = [
  {
    module: "seed000-hello",
    seed: "seed 000, asyncio syntax",
    shows: "the first coroutine: print, sleep one second without blocking, print",
  },
  {
    module: "seed000-delivery",
    seed: "seed 000, food delivery",
    shows: "gather runs three deliveries at once: 3 hours of meals take 3, not 1 + 2 + 3 = 6",
  },
  {
    module: "seed001-coroutines",
    seed: "seed 001, practice",
    shows: "loop.runUntilComplete(gather(...)): coroutine 2 (4 s) resumes before coroutine 1 (5 s)",
  },
  {
    module: "seed001-run-in-executor",
    seed: "seed 001, run_in_executor",
    shows:
      "blocking sleeps on the default thread pool, two at once (0.5 s and 0.4 s here; 5 and 4)",
    feature: "executors",
    options: { scale: 0.1 },
  },
  {
    module: "seed001-threads-vs-sleep",
    seed: "seed 001, comparison",
    shows: "blocking sleeps on a thread pool against 10,000 asyncio sleeps (40 on 8 threads here)",
    feature: "executors",
    options: { blockingCalls: 40, workers: 8, seconds: 0.05 },
  },
  {
    module: "seed002-burgers-await",
    seed: "seed 002, concurrent burgers",
    shows: "await get_burgers(2): talk while the burgers cook (6 s) instead of waiting (11 s)",
  },
  {
    module: "burgers",
    seed: "seed 002, the FastAPI endpoint",
    shows:
      "GET /burgers served for real: 3 orders cook at once, a customer who hangs up cancels its order",
    feature: "the HTTP server",
    options: { cookSeconds: 0.3 },
    realTime: true,
  },
  {
    module: "seed003-show-text",
    seed: "seed 003, calling a coroutine",
    shows:
      "runUntilComplete, a call without await, and await; JavaScript starts async calls at once",
  },
  {
    module: "seed003-calculator",
    seed: "seed 003, calculator",
    shows: "await gives the coroutine's return value: 2 * 5 = 10",
  },
  {
    module: "seed003-url-fetcher",
    seed: "seed 003, URL fetcher",
    shows: "five pages fetched one by one, then all at once (0.1 s per page here, 0.5 s alone)",
    feature: "the HTTP session",
    options: { pageDelay: 0.1 },
  },
  {
    module: "seed004-sync-vs-async",
    seed: "seed 004 §1, sync vs async",
    shows: "three 2-second tasks: 6 s one after the other, 2 s with gather",
  },
  {
    module: "seed004-coroutine-object",
    seed: "seed 004 §2, coroutine objects",
    shows: "a call returns a promise that already ran; a task starts later; run() gives the result",
  },
  {
    module: "seed004-await",
    seed: "seed 004 §2, await",
    shows: "await suspends until fetch_data's simulated I/O is done and gives its result",
  },
  {
    module: "seed004-event-loop",
    seed: "seed 004 §3, the event loop",
    shows: "run(main), runUntilComplete by hand, and getRunningLoop() inside a coroutine",
  },
  {
    module: "seed004-create-task",
    seed: "seed 004 §4, create_task",
    shows: "tasks start when main yields, in creation order: B (1 s) finishes before A (2 s)",
  },
  {
    module: "seed004-gather",
    seed: "seed 004 §5, gather",
    shows: "results in argument order, after the slowest (2 s)",
  },
  {
    module: "seed004-return-exceptions",
    seed: "seed 004 §5, return_exceptions",
    shows: "a failure becomes a value in the results; the other calls finish",
  },
  {
    module: "seed004-wait",
    seed: "seed 004 §5, wait",
    shows: "wait(FIRST_COMPLETED) returns after 1 s with 1 done, 2 pending; then cancel them",
  },
  {
    module: "seed004-as-completed",
    seed: "seed 004 §5, as_completed",
    shows: "results in completion order (url2, url3, url1), in both iteration forms",
  },
  {
    module: "seed004-wait-for",
    seed: "seed 004 §6, wait_for",
    shows: "a 10 s operation with a 2 s limit: cancelled, then TimeoutError at 2 s",
  },
  {
    module: "seed004-timeout",
    seed: "seed 004 §6, timeout",
    shows: "async with asyncio.timeout(2) as a scoped callback; a rescheduled deadline",
  },
  {
    module: "seed004-async-context-manager",
    seed: "seed 004 §7, async context manager",
    shows: "async with as `await using` + Symbol.asyncDispose, and as a scoped callback",
  },
  {
    module: "seed004-asynccontextmanager",
    seed: "seed 004 §7, contextlib.asynccontextmanager",
    shows: "an async generator with one yield as a context manager, both idioms",
  },
  {
    module: "seed004-async-iterator",
    seed: "seed 004 §8, async iterators",
    shows: "for await over an iterator class and over an async generator",
  },
  {
    module: "seed004-aiohttp",
    seed: "seed 004 §9, aiohttp",
    shows: "one ClientSession, three pages fetched concurrently with gather",
    feature: "the HTTP session",
  },
  {
    module: "seed004-aiofiles",
    seed: "seed 004 §9, aiofiles",
    shows: "write and read a file with fs/promises, each call a cancellation point",
  },
  {
    module: "seed004-sync-async-mixing",
    seed: "seed 004 §10, mixing sync and async",
    shows: "blocking code on a thread (runInExecutor, toThread; 0.5 s here, 2 s in the seed)",
    options: { blockingSeconds: 0.5 },
  },
  {
    module: "seed004-semaphore",
    seed: "seed 004 §11, Semaphore",
    shows: "ten tasks, at most three at a time",
    feature: "the synchronization primitives",
  },
  {
    module: "seed004-lock",
    seed: "seed 004 §11, Lock",
    shows: "three workers take the lock one after the other",
    feature: "the synchronization primitives",
  },
  {
    module: "seed004-errors",
    seed: "seed 004 §12, error handling",
    shows: "a task's error at its await; gather's returned errors; a TaskGroup's ExceptionGroup",
  },
  {
    module: "file-processing",
    seed: "seed 004 exercise 2, concurrent file processing",
    shows: "many files read and processed concurrently, with bounded concurrency",
    feature: "the file processing exercise",
  },
  {
    module: "rate-limiter-exercise",
    seed: "seed 004 exercise 3, rate limiter",
    shows: "requests limited to a number per second",
    feature: "the rate limiter",
  },
];
