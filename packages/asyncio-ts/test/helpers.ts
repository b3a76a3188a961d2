/** Shared test helpers: run under a virtual clock, and an ordered event log stamped with loop time. */
import {
  type ExceptionContext,
  gather,
  getRunningLoop,
  run,
  type Task,
  TimeoutError,
  timeout,
} from "../src/index.js";
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

/**
 * Gathers `tasks` (outcomes, errors included) within a deadline of 10000 s: a leaked permit or
 * a lost wake-up shows as a deadlock, the virtual clock jumps to the deadline, and a property
 * fails with its schedule as the counterexample.
 */
export async function gatherOrDeadlock(tasks: Task<unknown>[]): Promise<unknown[]> {
  try {
    return await timeout(10_000, () => gather(tasks, { returnExceptions: true }));
  } catch (error) {
    if (error instanceof TimeoutError) throw new Error("deadlock: tasks still waiting at t=10000");
    throw error;
  }
}
