/**
 * Reports failed futures whose error nobody ever looked at ("Task exception was never
 * retrieved"). asyncio does this from `Future.__del__`; here a FinalizationRegistry reports a
 * future that is garbage-collected with its error unread, and `run()` sweeps the survivors when
 * it ends, so a failure is never silently dropped and is reported at most once.
 *
 * Invariant: a future is in `tracked` (and registered) exactly while its `_logTraceback` is true.
 */
import type { Future } from "./future.js";
import type { EventLoop } from "./loop.js";

interface Report {
  loop: EventLoop;
  kind: "Task" | "Future";
  description: string;
  exception: unknown;
  /** Debug mode: where the task was created. */
  sourceTraceback: string | undefined;
}

function report(
  { loop, kind, description, exception, sourceTraceback }: Report,
  future?: Future<unknown>,
): void {
  loop.callExceptionHandler({
    message: `${kind} exception was never retrieved`,
    exception,
    ...(sourceTraceback === undefined ? {} : { sourceTraceback }),
    ...(future === undefined
      ? { description }
      : kind === "Task"
        ? { task: future as never, future }
        : { future }),
  });
}

function traceback(future: Future<unknown>): string | undefined {
  return (future as { _sourceTraceback?: string })._sourceTraceback;
}

const registry = new FinalizationRegistry<Report>((held) => report(held));

export class UnretrievedErrors {
  private readonly tracked = new Set<WeakRef<Future<unknown>>>();
  private readonly refs = new WeakMap<Future<unknown>, WeakRef<Future<unknown>>>();

  constructor(private readonly loop: EventLoop) {}

  track(future: Future<unknown>): void {
    const ref = new WeakRef(future);
    this.tracked.add(ref);
    this.refs.set(future, ref);
    const kind = future.constructor.name === "Future" ? "Future" : "Task";
    registry.register(
      future,
      {
        loop: this.loop,
        kind,
        description: String(future),
        exception: future._value,
        sourceTraceback: traceback(future),
      },
      future,
    );
  }

  untrack(future: Future<unknown>): void {
    const ref = this.refs.get(future);
    if (ref !== undefined) {
      this.tracked.delete(ref);
      this.refs.delete(future);
    }
    registry.unregister(future);
  }

  /** Reports every tracked future still alive and unread; called when `run()` ends. */
  sweep(): void {
    for (const ref of [...this.tracked]) {
      const future = ref.deref();
      if (future === undefined || !future._logTraceback) continue;
      future._logTraceback = false;
      this.untrack(future);
      const kind = future.constructor.name === "Future" ? "Future" : "Task";
      report(
        {
          loop: this.loop,
          kind,
          description: String(future),
          exception: future._value,
          sourceTraceback: traceback(future),
        },
        future,
      );
    }
    this.tracked.clear();
  }
}
