/** Shared test helpers: run under a virtual clock, and an ordered event log stamped with loop time. */
import { type ExceptionContext, getRunningLoop, run } from "../src/index.js";
import { VirtualClock } from "../src/testing.js";

/** Runs `main` under a fresh VirtualClock. */
export function runVirtual<T>(main: () => Promise<T>): Promise<T> {
  return run(main, { clock: new VirtualClock() });
}

/** An ordered log of events; `at` stamps entries with the running loop's time. */
export class EventLog {
  readonly entries: string[] = [];
  push(entry: string): void {
    this.entries.push(entry);
  }
  at(entry: string): void {
    this.entries.push(`${getRunningLoop().time()}: ${entry}`);
  }
}

/** Collects what the running loop's exception handler receives. */
export function captureExceptions(): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  getRunningLoop().setExceptionHandler((_loop, context) => seen.push(context));
  return seen;
}
