// Measurement side of every JavaScript workload script. A script reads its size with `sizeArg`,
// wraps the workload (and only the workload) in `measure`, and this module prints exactly one
// JSON line on stdout, which the harness parses. Wall and CPU time cover the workload alone;
// peak RSS is the whole process's high-water mark (VmHWM), read the same way by the Python side.
import { readFileSync } from "node:fs";

/**
 * The workload size passed by the harness as the first argument.
 * @param {number} fallback used when the script is started by hand without an argument
 * @returns {number}
 */
export function sizeArg(fallback) {
  const raw = process.argv[2];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`workload size must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * An extra mode argument after the size, checked against the modes the script knows.
 * @param {number} position 1 for the first argument after the size, 2 for the next
 * @param {readonly string[]} modes allowed values; the first is the default
 * @returns {string}
 */
export function modeArg(position, modes) {
  const mode = process.argv[2 + position] ?? modes[0];
  if (!modes.includes(mode)) {
    throw new RangeError(`mode must be one of ${modes.join(", ")}, got ${JSON.stringify(mode)}`);
  }
  return mode;
}

/** Peak resident set size of this process in KiB, from /proc/self/status (0 if unreadable). */
export function peakRssKb() {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Time `workload`, then print `{ wall_s, cpu_s, peak_rss_kb, check }` as one JSON line.
 * `check` is the workload's result (a checksum the harness compares with the expected value),
 * so a script that skipped work cannot report a fast time.
 * @param {() => Promise<unknown>} workload
 */
export async function measure(workload) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const check = await workload();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const line = {
    wall_s: wall,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    peak_rss_kb: peakRssKb(),
    check,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * Sum of a list of numbers (the usual checksum of a workload's results).
 * @param {Iterable<number>} values
 */
export function sum(values) {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * Run `scoped(i)` for i in [0, n) and sum the results: all at once under Promise.all
 * ("concurrent") or one after another ("sequential").
 * @param {number} n
 * @param {"concurrent" | "sequential"} shape
 * @param {(i: number) => Promise<number>} scoped
 */
export async function sumOver(n, shape, scoped) {
  if (shape === "sequential") {
    let total = 0;
    for (let i = 0; i < n; i++) total += await scoped(i);
    return total;
  }
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(scoped(i));
  return sum(await Promise.all(promises));
}
