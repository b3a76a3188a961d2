// Summary statistics of a row's samples.

/**
 * Median of a non-empty list (mean of the two middle values for an even count).
 * @param {number[]} values
 */
export function median(values) {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Per-metric medians of a row's samples.
 * @param {{ wall_s: number, cpu_s: number, peak_rss_kb: number }[]} samples
 */
export function summarize(samples) {
  return {
    wall_s: median(samples.map((s) => s.wall_s)),
    cpu_s: median(samples.map((s) => s.cpu_s)),
    peak_rss_kb: median(samples.map((s) => s.peak_rss_kb)),
  };
}
