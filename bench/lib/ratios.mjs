// Ratios of the report: each row against the floor and the fastest anchor of its workload, and
// each target of a manifest evaluated for asyncio-ts on every node runtime.

const byKey = (rows, impl, runtime) =>
  rows.find((r) => r.impl === impl && (runtime === undefined || r.runtime === runtime));

function referenceRow(rows, implId, runtime) {
  const candidates = rows.filter((r) => r.impl === implId);
  if (candidates.length === 0) return undefined;
  // JavaScript references are compared on the same node; Python rows have one interpreter.
  return (
    byKey(rows, implId, runtime) ?? (candidates[0].lang === "python" ? candidates[0] : undefined)
  );
}

/**
 * Add `xFloor` and `xBestAnchor` (wall time ratios, > 1 means slower) to every measured row of
 * one workload size. Python rows are compared with the floor on the first node runtime.
 * @param {object[]} rows
 * @param {string} firstNode id of the machine's node runtime
 */
export function addRatios(rows, firstNode) {
  const ok = rows.filter((r) => r.median);
  const anchors = ok.filter((r) => r.role === "anchor");
  const best = anchors.reduce(
    (a, r) => (a && a.median.wall_s <= r.median.wall_s ? a : r),
    undefined,
  );
  for (const row of ok) {
    const floorRow = ok.find(
      (r) => r.role === "floor" && r.runtime === (row.lang === "js" ? row.runtime : firstNode),
    );
    row.xFloor = floorRow ? row.median.wall_s / floorRow.median.wall_s : undefined;
    row.xBestAnchor = best ? row.median.wall_s / best.median.wall_s : undefined;
    row.bestAnchor = best ? `${best.label} [${best.runtimeLabel}]` : undefined;
  }
}

// Time targets are judged on wall time (what the targets say); the CPU-time ratio is shown next
// to it because on a loaded shared machine it is the steadier of the two.
const KINDS = {
  within: {
    text: (t, other) => `within ${t.factor}x of ${other}`,
    value: (s, o, m) => s.median[m] / o.median[m],
    pass: (v, t) => v <= t.factor,
    show: (v, cpu) => `${v.toFixed(2)}x the time (cpu ${cpu.toFixed(2)}x)`,
  },
  faster: {
    text: (t, other) =>
      t.factor === 1 ? `faster than ${other}` : `>= ${t.factor}x faster than ${other}`,
    value: (s, o, m) => o.median[m] / s.median[m],
    pass: (v, t) => v >= t.factor,
    show: (v, cpu) => `${v.toFixed(2)}x faster (cpu ${cpu.toFixed(2)}x)`,
  },
  memoryBelow: {
    text: (t, other) => `peak RSS < ${t.factor}x of ${other}`,
    value: (s, o) => s.median.peak_rss_kb / o.median.peak_rss_kb,
    pass: (v, t) => v < t.factor,
    show: (v) => `${v.toFixed(2)}x the RSS`,
  },
};

/**
 * Evaluate a manifest's targets on one workload size: one result per target and node runtime.
 * @param {object} workload manifest (targets: { subject?, vs, kind, factor })
 * @param {object[]} rows rows of that workload size, with medians
 * @param {{ id: string, label: string }[]} nodes node runtimes
 */
export function evaluateTargets(workload, rows, nodes) {
  const results = [];
  for (const target of workload.targets ?? []) {
    const kind = KINDS[target.kind];
    if (!kind) throw new RangeError(`unknown target kind ${JSON.stringify(target.kind)}`);
    const subjectId = target.subject ?? "asyncio-ts";
    const subjectLabel = rows.find((r) => r.impl === subjectId)?.label ?? subjectId;
    const vsAny = rows.find((r) => r.impl === target.vs);
    const vsLabel = vsAny
      ? `${vsAny.label}${vsAny.lang === "python" ? ` [${vsAny.runtimeLabel}]` : ""}`
      : target.vs;
    const perRuntime = {};
    for (const node of nodes) {
      const s = byKey(rows, subjectId, node.id);
      const o = referenceRow(rows, target.vs, node.id);
      if (!s?.median || !o?.median) {
        perRuntime[node.id] = { status: (s?.median ? o?.status : s?.status) ?? "n/a" };
        continue;
      }
      const value = kind.value(s, o, "wall_s");
      const cpu = kind.value(s, o, "cpu_s");
      perRuntime[node.id] = {
        value,
        cpu,
        pass: kind.pass(value, target),
        cpuPass: kind.pass(cpu, target),
        shown: kind.show(value, cpu),
      };
    }
    results.push({
      workload: workload.name,
      n: rows[0]?.n,
      target: `${subjectLabel} ${kind.text(target, vsLabel)}`,
      perRuntime,
    });
  }
  return results;
}
