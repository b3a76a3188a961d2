// Entry point of `npm run bench`: installs bench/'s own dependencies if needed, detects the
// runtimes, runs the chosen workloads, prints one table and writes bench/results/latest.json.
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, USAGE } from "./lib/cli.mjs";
import { ensureDependencies } from "./lib/deps.mjs";
import { executeRows } from "./lib/execute.mjs";
import { formatN, planWorkload } from "./lib/plan.mjs";
import { writeScalingPlot } from "./lib/plot.mjs";
import { addRatios, evaluateTargets } from "./lib/ratios.mjs";
import { renderReport, writeJson } from "./lib/report.mjs";
import { detectRuntimes } from "./lib/runtimes.mjs";
import { detectExports } from "./lib/subject.mjs";
import { workloads } from "./workloads/index.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const log = (line) => process.stderr.write(`bench: ${line}\n`);

function chooseSizes(options) {
  const chosen =
    options.names.length > 0 ? workloads.filter((w) => options.names.includes(w.name)) : workloads;
  if (!options.scale) return chosen.map((w) => ({ workload: w, sizes: [options.n ?? w.n] }));
  return chosen.filter((w) => w.scales).map((w) => ({ workload: w, sizes: w.scales }));
}

/** Recompute the ratios and targets of a results file with the current manifests. */
function rescore(results) {
  results.targets = [];
  const groups = new Map();
  for (const row of results.rows) {
    const key = `${row.workload} ${row.n}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const rows of groups.values()) {
    addRatios(rows, results.nodes[0].id);
    const workload = workloads.find((w) => w.name === rows[0].workload);
    if (workload) results.targets.push(...evaluateTargets(workload, rows, results.nodes));
  }
}

async function main() {
  let options;
  try {
    options = parseArgs(
      process.argv.slice(2),
      process.env,
      workloads.map((w) => w.name),
    );
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.list) {
    for (const w of workloads) {
      const sizes = w.scales ? ` (--scale: ${w.scales.map(formatN).join(", ")})` : "";
      process.stdout.write(
        `${w.name.padEnd(12)} ${formatN(w.n).padStart(4)}  ${w.description}${sizes}\n`,
      );
    }
    return 0;
  }
  if (options.report) {
    const results = JSON.parse(readFileSync(options.report, "utf8"));
    rescore(results);
    process.stdout.write(renderReport(results, { markdown: options.markdown }));
    return 0;
  }
  ensureDependencies(benchDir, log);
  const runtimes = detectRuntimes(benchDir);
  const nodes = runtimes.nodes.filter((n) => n.available);
  const subject = await detectExports(benchDir, process.execPath);
  log(
    `runtimes: ${[...runtimes.nodes, runtimes.python313, runtimes.pythonSystem]
      .map((r) => (r.available ? r.label : `${r.id} n/a`))
      .join(", ")}; asyncio-ts ${subject.built ? "built" : `not built (${subject.reason})`}`,
  );
  const ctx = { benchDir, runtimes, subject, all: options.all };
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
    runtimes,
    runs: options.runs,
    slowS: options.slowS,
    slowRuns: options.slowRuns,
    verySlowS: options.verySlowS,
    timeoutS: options.timeoutS,
    nodes: nodes.map(({ id, label }) => ({ id, label })),
    rows: [],
    targets: [],
  };
  for (const { workload, sizes } of chooseSizes(options)) {
    for (const n of sizes) {
      const rows = planWorkload(workload, n, ctx);
      // A workload may ask for more runs than the default (its samples spread more).
      const runs = options.runsGiven ? options.runs : (workload.runs ?? options.runs);
      await executeRows(rows, workload.expect(n), { ...options, runs, benchDir, log });
      addRatios(rows, runtimes.nodes[0].id);
      results.rows.push(...rows);
      results.targets.push(...evaluateTargets(workload, rows, results.nodes));
    }
  }
  process.stdout.write(renderReport(results, { markdown: options.markdown }));
  const out = options.out ?? join(benchDir, "results", "latest.json");
  writeJson(out, results);
  log(`results written to ${out}`);
  const plot = `${out.replace(/\.json$/, "")}-scaling.svg`;
  if (writeScalingPlot(plot, results.rows)) log(`scaling plot written to ${plot}`);
  return 0;
}

process.exitCode = await main();
