/**
 * Reports failed futures whose error nobody ever looked at ("Task exception was never
 * retrieved"). asyncio does this from `Future.__del__`; here a FinalizationRegistry reports a
 * future that is garbage-collected with its error unread, and `run()` sweeps the survivors when
 * it ends, so a failure is never silently dropped and is reported at most once.
 *
 * Invariant: a future is in `tracked` (and registered) exactly while its `_logTraceback` is true;
 * an entry is removed when the error is read, when the future is collected, or by the sweep, so
 * the set stays as small as the number of unread failures still alive.
 */
import type { Future } from "./future.js";
import type { EventLoop } from "./loop.js";

/** What is reported; held by the registry, so it must not reference the future itself. */
interface Report {
  tracker: UnretrievedErrors;
  ref: WeakRef<Future<unknown>>;
  kind: "Task" | "Future";
  description: string;
  exception: unknown;
  /** Debug mode: where the task was created. */
  sourceTraceback: string | undefined;
}

function kindOf(future: Future<unknown>): "Task" | "Future" {
  return typeof (future as { cancelling?: unknown }).cancelling === "function" ? "Task" : "Future";
}

function describeReport(report: Report, future: Future<unknown> | undefined) {
  const { kind, description, exception, sourceTraceback } = report;
  return {
    message: `${kind} exception was never retrieved`,
    exception,
    ...(sourceTraceback === undefined ? {} : { sourceTraceback }),
    ...(future === undefined
      ? { description }
      : kind === "Task"
        ? { task: future as never, future }
        : { future }),
  };
}

const registry = new FinalizationRegistry<Report>((report) => {
  report.tracker._forget(report.ref);
  report.tracker.loop.callExceptionHandler(describeReport(report, undefined));
});

export class UnretrievedErrors {
  private readonly tracked = new Map<WeakRef<Future<unknown>>, Report>();
  private readonly refs = new WeakMap<Future<unknown>, WeakRef<Future<unknown>>>();

  constructor(readonly loop: EventLoop) {}

  track(future: Future<unknown>): void {
    const ref = new WeakRef(future);
    const report: Report = {
      tracker: this,
      ref,
      kind: kindOf(future),
      description: String(future),
      exception: future._value,
      sourceTraceback: (future as { _sourceTraceback?: string })._sourceTraceback,
    };
    this.tracked.set(ref, report);
    this.refs.set(future, ref);
    registry.register(future, report, future);
  }

  untrack(future: Future<unknown>): void {
    const ref = this.refs.get(future);
    if (ref !== undefined) {
      this.tracked.delete(ref);
      this.refs.delete(future);
    }
    registry.unregister(future);
  }

  /** @internal The future was collected (the registry reports it). */
  _forget(ref: WeakRef<Future<unknown>>): void {
    this.tracked.delete(ref);
  }

  /** Reports every tracked future still alive and unread; called when `run()` ends. */
  sweep(): void {
    for (const [ref, report] of [...this.tracked]) {
      const future = ref.deref();
      if (future === undefined || !future._logTraceback) continue;
      future._logTraceback = false;
      this.untrack(future);
      this.loop.callExceptionHandler(describeReport(report, future));
    }
    this.tracked.clear();
  }
}
