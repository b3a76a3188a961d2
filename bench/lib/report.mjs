// Renders the results: one table of every row (plain text for the terminal, or Markdown for
// bench/README.md), the targets with their measured ratios, and the JSON file.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { formatN } from "./plan.mjs";

const ms = (s) => (s * 1000).toFixed(s < 1 ? 1 : 0);
const mb = (kb) => (kb / 1024).toFixed(0);
const ratio = (x) => (x === undefined ? "-" : `${x.toFixed(2)}x`);

const ROW_HEADER = [
  "workload",
  "implementation",
  "runtime",
  "wall ms",
  "cpu ms",
  "peak RSS MB",
  "x floor",
  "x best anchor",
  "status",
];

function rowCells(row) {
  const m = row.median;
  return [
    `${row.workload} ${formatN(row.n)}`,
    row.label,
    row.runtimeLabel,
    m ? ms(m.wall_s) : "-",
    m ? ms(m.cpu_s) : "-",
    m ? mb(m.peak_rss_kb) : "-",
    ratio(row.xFloor),
    ratio(row.xBestAnchor),
    row.status,
  ];
}

function targetCells(target, nodes) {
  const cells = [`${target.workload} ${formatN(target.n)}`, target.target];
  for (const node of nodes) {
    const r = target.perRuntime[node.id];
    cells.push(r.value === undefined ? r.status : `${r.shown} ${r.pass ? "PASS" : "MISS"}`);
  }
  return cells;
}

const NUMERIC = new Set([3, 4, 5, 6, 7]);

function textTable(header, lines, separatorsAt) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) =>
    cells
      .map((c, i) =>
        NUMERIC.has(i) && header === ROW_HEADER ? c.padStart(widths[i]) : c.padEnd(widths[i]),
      )
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const out = [fmt(header), rule];
  lines.forEach((l, i) => {
    if (i > 0 && separatorsAt.has(i)) out.push("");
    out.push(fmt(l));
  });
  return out.join("\n");
}

function markdownTable(header, lines) {
  const esc = (c) => c.replaceAll("|", "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...lines.map((l) => `| ${l.map(esc).join(" | ")} |`),
  ].join("\n");
}

/**
 * The report as text (`markdown: false`) or Markdown.
 * @param {{ rows: object[], targets: object[], nodes: { id: string, label: string }[] }} results
 * @param {{ markdown: boolean }} options
 */
export function renderReport(results, options) {
  const lines = results.rows.map(rowCells);
  const breaks = new Set();
  results.rows.forEach((r, i) => {
    const prev = results.rows[i - 1];
    if (prev && (prev.workload !== r.workload || prev.n !== r.n)) breaks.add(i);
  });
  const targetHeader = [
    "workload",
    "target",
    ...results.nodes.map((n) => `asyncio-ts on ${n.label}`),
  ];
  const targetLines = results.targets.map((t) => targetCells(t, results.nodes));
  if (options.markdown) {
    return `${markdownTable(ROW_HEADER, lines)}\n\n${markdownTable(targetHeader, targetLines)}\n`;
  }
  const parts = [textTable(ROW_HEADER, lines, breaks)];
  if (targetLines.length > 0)
    parts.push(`Targets\n\n${textTable(targetHeader, targetLines, new Set())}`);
  return `${parts.join("\n\n")}\n`;
}

/**
 * Write the results (with the machine and runtime description) as JSON.
 * @param {string} file
 * @param {object} results
 */
export function writeJson(file, results) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
