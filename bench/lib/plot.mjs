// An SVG plot of a --scale run: one log-log panel per workload, wall time against N, one line per
// implementation and runtime. Dependency-free on purpose; it is a picture, not a charting library.
import { writeFileSync } from "node:fs";
import { formatN } from "./plan.mjs";

const PANEL_W = 760;
const PANEL_H = 300;
const MARGIN = { left: 70, right: 330, top: 40, bottom: 45 };
const COLORS = [
  "#d62728",
  "#ff9896",
  "#1f77b4",
  "#aec7e8",
  "#2ca02c",
  "#98df8a",
  "#9467bd",
  "#c5b0d5",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

const esc = (s) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const log10 = Math.log10;

function series(rows) {
  const byKey = new Map();
  for (const r of rows) {
    if (!r.median) continue;
    const key = `${r.label} [${r.runtimeLabel}]`;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key).push([r.n, r.median.wall_s]);
  }
  return [...byKey].filter(([, points]) => points.length >= 2);
}

function panel(workload, rows, top) {
  const lines = series(rows);
  if (lines.length === 0) return "";
  const all = lines.flatMap(([, p]) => p);
  const [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const y0 = 10 ** Math.floor(log10(Math.min(...all.map((p) => p[1]))));
  const y1 = 10 ** Math.ceil(log10(Math.max(...all.map((p) => p[1]))));
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const sx = (x) => MARGIN.left + ((log10(x) - log10(x0)) / (log10(x1) - log10(x0) || 1)) * plotW;
  const sy = (y) =>
    top + MARGIN.top + plotH - ((log10(y) - log10(y0)) / (log10(y1) - log10(y0) || 1)) * plotH;
  const out = [
    `<text x="${MARGIN.left}" y="${top + 25}" font-weight="bold">${esc(workload)}: wall time (s) against N, log-log</text>`,
  ];
  out.push(
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  for (let y = y0; y <= y1 * 1.0001; y *= 10) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`,
    );
    out.push(`<text x="${MARGIN.left - 8}" y="${sy(y) + 4}" text-anchor="end">${y}</text>`);
  }
  for (const n of [...new Set(all.map((p) => p[0]))]) {
    out.push(
      `<text x="${sx(n)}" y="${top + MARGIN.top + plotH + 18}" text-anchor="middle">${formatN(n)}</text>`,
    );
  }
  lines.forEach(([key, points], i) => {
    const color = COLORS[i % COLORS.length];
    const d = points
      .map(([x, y], j) => `${j === 0 ? "M" : "L"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
      .join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const ly = top + MARGIN.top + 4 + i * 16;
    out.push(
      `<line x1="${PANEL_W - MARGIN.right + 15}" x2="${PANEL_W - MARGIN.right + 35}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${PANEL_W - MARGIN.right + 40}" y="${ly + 4}">${esc(key)}</text>`);
  });
  return out.join("\n");
}

/**
 * Write the plot of every workload that was measured at two sizes or more. Returns false (and
 * writes nothing) when there is no such workload.
 * @param {string} file
 * @param {object[]} rows all rows of the run
 */
export function writeScalingPlot(file, rows) {
  const workloads = [...new Set(rows.map((r) => r.workload))].filter(
    (w) => new Set(rows.filter((r) => r.workload === w).map((r) => r.n)).size >= 2,
  );
  if (workloads.length === 0) return false;
  const panels = workloads.map((w, i) =>
    panel(
      w,
      rows.filter((r) => r.workload === w),
      i * PANEL_H,
    ),
  );
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PANEL_W}" height="${PANEL_H * workloads.length}" font-family="sans-serif" font-size="11">`,
    `<title>asyncio-ts benchmarks: wall time against N for ${esc(workloads.join(", "))}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels,
    "</svg>",
  ].join("\n");
  writeFileSync(file, `${svg}\n`);
  return true;
}
