/**
 * The tour: every program of the seeds, one after the other, each under a fresh VirtualClock
 * so that the whole tour takes a few seconds of real time. For each program it prints a
 * heading, what the program shows, the program's own output, and how long it took in virtual
 * and in real time. Programs not built yet are listed as "coming with <feature>".
 *
 * Run it with `npm start` (or `npm run tour`), or `node examples/dist/src/tour.js [names...]`
 * to run only the programs whose module names contain one of the given words.
 */
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { VirtualClock } from "asyncio-ts/testing";
import { type ExampleMain, isScript, type Out } from "./lib/program.js";
import { TOUR, type TourEntry } from "./tour-registry.js";

/** What a tour did. */
export interface TourSummary {
  ran: string[];
  coming: string[];
  failed: string[];
  virtualSeconds: number;
  realMilliseconds: number;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function formatMilliseconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

async function loadMain(entry: TourEntry, url: URL): Promise<ExampleMain> {
  const module: { main?: unknown } = await import(url.href);
  if (typeof module.main !== "function") {
    throw new TypeError(
      `${entry.module}.js should export a function main(out, options), got ${typeof module.main}`,
    );
  }
  return module.main as ExampleMain;
}

/** Runs one program, printing its output indented; returns its virtual and real durations. */
async function runEntry(
  entry: TourEntry,
  main: ExampleMain,
  print: Out,
): Promise<{ virtual: number | null; real: number }> {
  const clock = entry.realTime ? undefined : new VirtualClock();
  const out: Out = (line) => {
    for (const part of String(line).split("\n")) print(`  │ ${part}`);
  };
  const started = performance.now();
  await main(out, { ...entry.options, ...(clock === undefined ? {} : { clock }) });
  return { virtual: clock === undefined ? null : clock.time(), real: performance.now() - started };
}

/**
 * Runs the programs of `entries` (all of them by default) and prints the tour to `print`.
 * A program that throws is reported and the tour goes on; the summary lists it as failed.
 *
 * @example
 * ```ts
 * import { runTour } from "./tour.js";
 * const summary = await runTour(console.log);
 * if (summary.failed.length > 0) process.exitCode = 1;
 * ```
 */
export async function runTour(
  print: Out = console.log,
  entries: readonly TourEntry[] = TOUR,
): Promise<TourSummary> {
  const summary: TourSummary = {
    ran: [],
    coming: [],
    failed: [],
    virtualSeconds: 0,
    realMilliseconds: 0,
  };
  const tourStarted = performance.now();
  print("asyncio-ts: a tour of the seed programs");
  print("Each runs under a virtual clock: its sleeps take no real time, in the same order.");
  for (const [index, entry] of entries.entries()) {
    print("");
    print(`[${index + 1}/${entries.length}] ${entry.module}  (${entry.seed})`);
    print(`  ${entry.shows}`);
    const url = new URL(`./${entry.module}.js`, import.meta.url);
    if (!existsSync(fileURLToPath(url))) {
      print(`  … coming with ${entry.feature ?? "a later feature"}`);
      summary.coming.push(entry.module);
      continue;
    }
    try {
      const main = await loadMain(entry, url);
      const { virtual, real } = await runEntry(entry, main, print);
      const took =
        virtual === null
          ? `${formatMilliseconds(real)} of real time`
          : `${virtual.toFixed(1)} s of virtual time in ${formatMilliseconds(real)}`;
      print(`  ✓ ${took}`);
      summary.ran.push(entry.module);
      summary.virtualSeconds += virtual ?? 0;
    } catch (error) {
      print(`  ✗ failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      summary.failed.push(entry.module);
    }
  }
  summary.realMilliseconds = performance.now() - tourStarted;
  print("");
  print(
    `${plural(summary.ran.length, "program")} ran: ${summary.virtualSeconds.toFixed(1)} s of virtual time ` +
      `in ${formatMilliseconds(summary.realMilliseconds)}.`,
  );
  if (summary.coming.length > 0) {
    print(`${summary.coming.length} coming with later features: ${summary.coming.join(", ")}.`);
  }
  if (summary.failed.length > 0) {
    print(`${summary.failed.length} FAILED: ${summary.failed.join(", ")}.`);
  }
  return summary;
}

if (isScript(import.meta.url)) {
  const words = process.argv.slice(2);
  const entries =
    words.length === 0 ? TOUR : TOUR.filter((e) => words.some((w) => e.module.includes(w)));
  const summary = await runTour(console.log, entries);
  if (summary.failed.length > 0) process.exitCode = 1;
}
