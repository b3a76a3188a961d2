/** Runs an example under a fresh VirtualClock and records what it prints, stamped with time. */
import assert from "node:assert/strict";
import { VirtualClock } from "asyncio-ts/testing";
import type { ExampleMain, ProgramOptions } from "../src/lib/program.js";

/** What an example printed under the virtual clock. */
export interface Captured {
  /** The printed lines, in order. */
  lines: string[];
  /** The same lines prefixed with the virtual time they were printed at: "2.0 A done". */
  timeline: string[];
  /** Virtual seconds from start to end. */
  duration: number;
}

/** Runs `main` under a new VirtualClock (plus `options`) and captures its output. */
export async function capture(
  main: ExampleMain,
  options: Omit<ProgramOptions, "clock"> & Record<string, unknown> = {},
): Promise<Captured> {
  const clock = new VirtualClock();
  const lines: string[] = [];
  const timeline: string[] = [];
  await main(
    (line) => {
      lines.push(line);
      timeline.push(`${clock.time().toFixed(1)} ${line}`);
    },
    { ...options, clock },
  );
  return { lines, timeline, duration: clock.time() };
}

/** What an example is expected to print: its lines (stamped or not) and its virtual duration. */
export interface Expected {
  /** Every line with the virtual time it was printed at ("2.0 A done"). */
  timeline?: string[];
  /** Every line, when the times do not matter. */
  lines?: string[];
  /** Virtual seconds from start to end, to one decimal. */
  duration?: number;
}

/** Runs `main` under the virtual clock and asserts what it printed, in order, and how long it took. */
export async function expectOutput(
  main: ExampleMain,
  expected: Expected,
  options: Record<string, unknown> = {},
): Promise<Captured> {
  const captured = await capture(main, options);
  if (expected.timeline !== undefined) assert.deepEqual(captured.timeline, expected.timeline);
  if (expected.lines !== undefined) assert.deepEqual(captured.lines, expected.lines);
  if (expected.duration !== undefined) {
    assert.equal(captured.duration.toFixed(1), expected.duration.toFixed(1), "virtual duration");
  }
  return captured;
}
