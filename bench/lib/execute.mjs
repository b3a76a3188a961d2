// Runs the planned rows: `runs` rounds, each running every live row once in a fresh process,
// round-robin so slow drift of a shared machine spreads over all rows alike. A row that times
// out, crashes or returns a wrong checksum is marked and not run again. A row whose first run
// takes longer than `slowS` seconds stops after `slowRuns` runs, and one over `verySlowS` after
// its first: such rows are several times off the others, their run-to-run spread is a few
// percent, and five runs of every 30-second row would push the default run past 15 minutes.

import { formatN } from "./plan.mjs";
import { runProcess } from "./process.mjs";
import { summarize } from "./stats.mjs";

/**
 * The measurement line a workload printed (its last JSON line on stdout).
 * @param {string} stdout
 */
export function parseMeasurement(stdout) {
  const lines = stdout.trim().split("\n").reverse();
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      const m = JSON.parse(line);
      if (typeof m.wall_s === "number" && typeof m.cpu_s === "number") return m;
    } catch {
      // Not the measurement line; keep looking.
    }
  }
  return undefined;
}

function failure(out, timeoutS) {
  if (out.timedOut) return `timeout (> ${timeoutS} s)`;
  const lines = out.stderr.trim().split("\n").filter(Boolean);
  const error = lines.find((l) => /Error|error:/.test(l)) ?? lines.at(-1) ?? "";
  const how = out.signal ? `killed by ${out.signal}` : `exit ${out.code}`;
  return `error (${how}): ${error.trim().slice(0, 160)}`;
}

function plannedRuns(firstWall, options) {
  if (firstWall > options.verySlowS) return 1;
  if (firstWall > options.slowS) return Math.min(options.runs, options.slowRuns);
  return options.runs;
}

async function runRow(row, expected, options) {
  const out = await runProcess(row.command, row.args, {
    cwd: options.benchDir,
    env: row.env,
    timeoutS: options.timeoutS,
  });
  if (out.timedOut || out.code !== 0) return { error: failure(out, options.timeoutS) };
  const m = parseMeasurement(out.stdout);
  if (!m) return { error: "error: no measurement line on stdout" };
  if (m.check !== expected) {
    return { error: `error: wrong result ${JSON.stringify(m.check)}, expected ${expected}` };
  }
  return { sample: { wall_s: m.wall_s, cpu_s: m.cpu_s, peak_rss_kb: m.peak_rss_kb } };
}

/**
 * Run every pending row of one workload size `runs` times and fill in samples and medians.
 * @param {object[]} rows rows of one workload at one size (from planWorkload)
 * @param {number} expected the checksum every run must return
 * @param {{ benchDir: string, runs: number, slowS: number, slowRuns: number, verySlowS: number,
 *   timeoutS: number, log: (line: string) => void }} options
 */
export async function executeRows(rows, expected, options) {
  for (const row of rows) row.plannedRuns = options.runs;
  for (let round = 1; round <= options.runs; round++) {
    for (const row of rows) {
      if (row.status !== "pending" || row.samples.length >= row.plannedRuns) continue;
      const result = await runRow(row, expected, options);
      const where = `${row.workload} ${formatN(row.n)} ${round}/${row.plannedRuns} ${row.label} [${row.runtimeLabel}]`;
      if (result.error) {
        row.status = result.error;
        options.log(`${where}: ${result.error}`);
        continue;
      }
      row.samples.push(result.sample);
      if (round === 1) row.plannedRuns = plannedRuns(result.sample.wall_s, options);
      options.log(`${where}: ${result.sample.wall_s.toFixed(3)} s`);
    }
  }
  for (const row of rows) {
    if (row.status === "pending") {
      const n = row.samples.length;
      row.status = n === options.runs ? "ok" : `ok (${n} run${n === 1 ? "" : "s"})`;
      row.median = summarize(row.samples);
    }
  }
}
