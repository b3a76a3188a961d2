// Expands the chosen workloads into rows: one per implementation and runtime (JavaScript rows
// once per node runtime, Python rows on their interpreter), each either runnable or marked
// "n/a (why)" up front.
import { join } from "node:path";
import { hasPackage } from "./deps.mjs";

/** "10k", "1M": sizes as the tables show them. */
export function formatN(n) {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

function jsRows(workload, n, impl, ctx) {
  return ctx.runtimes.nodes.map((runtime) => {
    const row = baseRow(workload, n, impl, runtime);
    if (!runtime.available) return { ...row, status: `n/a (${runtime.reason})` };
    const missingPkg = impl.packages.find((p) => !hasPackage(ctx.benchDir, p));
    if (missingPkg) return { ...row, status: `n/a (${missingPkg} not installed)` };
    if (impl.exportsNeeded) {
      const missing = impl.exportsNeeded.filter((name) => !ctx.subject.exports.has(name));
      if (!ctx.subject.built) return { ...row, status: "n/a (not built)" };
      if (missing.length > 0) return { ...row, status: `n/a (not built: ${missing.join(", ")})` };
    }
    const script = join(ctx.benchDir, "workloads", workload.dir, impl.file);
    return { ...row, command: runtime.command, args: [script, String(n), ...impl.args], env: {} };
  });
}

function pythonRow(workload, n, impl, ctx) {
  const runtime = ctx.runtimes[impl.runtime];
  const row = baseRow(workload, n, impl, runtime);
  if (!runtime.available) return { ...row, status: `n/a (${runtime.reason})` };
  if (impl.loop === "uvloop" && !runtime.modules.uvloop) {
    return { ...row, status: "n/a (uvloop not installed)" };
  }
  const script = join(ctx.benchDir, "workloads", workload.dir, impl.file);
  return {
    ...row,
    command: runtime.command,
    args: [script, String(n), ...impl.args],
    env: { BENCH_PY_LOOP: impl.loop },
  };
}

function baseRow(workload, n, impl, runtime) {
  return {
    workload: workload.name,
    n,
    impl: impl.id,
    label: impl.label,
    role: impl.role,
    lang: impl.lang,
    runtime: runtime.id,
    runtimeLabel: runtime.label,
    status: "pending",
    samples: [],
  };
}

/**
 * Rows for one workload at size n.
 * @param {object} workload a manifest from workloads/index.mjs
 * @param {number} n
 * @param {{ benchDir: string, runtimes: object, subject: object, all: boolean }} ctx
 */
export function planWorkload(workload, n, ctx) {
  const rows = [];
  for (const impl of workload.impls) {
    if (impl.extra && !ctx.all) continue;
    const implRows =
      impl.lang === "js" ? jsRows(workload, n, impl, ctx) : [pythonRow(workload, n, impl, ctx)];
    for (const row of implRows) {
      if (impl.maxN !== undefined && n > impl.maxN && row.status === "pending") {
        row.status = `n/a (skipped above ${formatN(impl.maxN)})`;
      }
      rows.push(row);
    }
  }
  return rows;
}
