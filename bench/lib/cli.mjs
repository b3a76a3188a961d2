// Command line of `npm run bench -- [workload...] [options]`.

export const USAGE = `usage: npm run bench -- [workload...] [options]

Runs each workload in fresh processes for asyncio-ts, the bare-JavaScript floor and the anchors,
prints one table and writes bench/results/latest.json.

options:
  --scale          run spawn, sleep and queue (or the named workloads) at 10k, 100k and 1M
  --n N            run the named workloads at size N instead of their default
  --runs N         runs per row, median reported (default 5, or BENCH_RUNS; server: 15)
  --slow S         a row whose first run takes over S seconds gets --slow-runs runs (default 5, or BENCH_SLOW)
  --slow-runs N    runs of such slow rows (default 3, or BENCH_SLOW_RUNS; never more than --runs)
  --very-slow S    a row whose first run takes over S seconds is run once (default 20, or BENCH_VERY_SLOW)
  --timeout S      seconds before a run is killed and reported as "timeout" (default 120, or BENCH_TIMEOUT)
  --all            also run the extra rows (asyncio on Debian's python3, the baseline of uvloop)
  --markdown       print the tables as Markdown (for bench/README.md)
  --out FILE       where to write the JSON results (default bench/results/latest.json)
  --report FILE    run nothing: print the tables of an earlier results file (with --markdown)
  --list           list the workloads and exit
  --help           show this help`;

function positiveInt(name, raw) {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} expects a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Parse argv (after `node run.mjs`) and the BENCH_* environment into options.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @param {string[]} known workload names
 */
export function parseArgs(argv, env, known) {
  const options = {
    names: [],
    scale: false,
    n: undefined,
    runs: positiveInt("BENCH_RUNS", env.BENCH_RUNS ?? "5"),
    /** True when --runs or BENCH_RUNS set `runs`: it then overrides a workload's own count. */
    runsGiven: env.BENCH_RUNS !== undefined,
    slowS: positiveInt("BENCH_SLOW", env.BENCH_SLOW ?? "5"),
    slowRuns: positiveInt("BENCH_SLOW_RUNS", env.BENCH_SLOW_RUNS ?? "3"),
    verySlowS: positiveInt("BENCH_VERY_SLOW", env.BENCH_VERY_SLOW ?? "20"),
    timeoutS: positiveInt("BENCH_TIMEOUT", env.BENCH_TIMEOUT ?? "120"),
    all: false,
    markdown: false,
    out: undefined,
    report: undefined,
    list: false,
    help: false,
  };
  const flags = {
    "--scale": "scale",
    "--all": "all",
    "--markdown": "markdown",
    "--list": "list",
    "--help": "help",
    "-h": "help",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new RangeError(`${arg} expects a value`);
      return argv[++i];
    };
    if (arg in flags) options[flags[arg]] = true;
    else if (arg === "--runs") {
      options.runs = positiveInt("--runs", value());
      options.runsGiven = true;
    } else if (arg === "--slow") options.slowS = positiveInt("--slow", value());
    else if (arg === "--slow-runs") options.slowRuns = positiveInt("--slow-runs", value());
    else if (arg === "--very-slow") options.verySlowS = positiveInt("--very-slow", value());
    else if (arg === "--timeout") options.timeoutS = positiveInt("--timeout", value());
    else if (arg === "--n") options.n = positiveInt("--n", value());
    else if (arg === "--out") options.out = value();
    else if (arg === "--report") options.report = value();
    else if (arg.startsWith("-")) throw new RangeError(`unknown option ${arg}\n\n${USAGE}`);
    else if (!known.includes(arg)) {
      throw new RangeError(`unknown workload ${JSON.stringify(arg)}; known: ${known.join(", ")}`);
    } else options.names.push(arg);
  }
  if (options.scale && options.n !== undefined)
    throw new RangeError("--scale and --n exclude each other");
  return options;
}
