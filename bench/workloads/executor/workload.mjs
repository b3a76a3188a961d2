import { floor, npmAnchor, pythonAnchor, subject } from "../../lib/impls.mjs";
import { hash } from "./tasks.mjs";

const NEEDS = ["run", "gather", "getRunningLoop", "moduleFunction", "ThreadPoolExecutor"];

/** The rows shared by both executor workloads: `mode` is "tiny" or "hash", on 2 workers. */
function rows(mode) {
  return [
    subject("asyncio-ts.mjs", NEEDS, { args: [mode, "2"] }),
    floor("bare worker_threads", "floor.mjs", [mode, "2"]),
    npmAnchor("piscina", "npm-pool.mjs", { args: [mode, "2", "piscina"] }),
    npmAnchor("tinypool", "npm-pool.mjs", { args: [mode, "2", "tinypool"] }),
    pythonAnchor("concurrent.futures-threads", "concurrent_futures.py", {
      label: "ThreadPoolExecutor",
      runtime: "python313",
      args: [mode, "2", "thread"],
    }),
    pythonAnchor("concurrent.futures-processes", "concurrent_futures.py", {
      label: "ProcessPoolExecutor",
      runtime: "python313",
      args: [mode, "2", "process"],
    }),
  ];
}

/** executor: N tiny calls on a pool of 2 warmed-up workers (round-trip throughput). */
export const tinyCalls = {
  name: "executor",
  dir: "executor",
  description: "N tiny calls (x + 1) on a pool of 2 warmed-up worker threads, gathered",
  n: 20_000,
  expect: (n) => (n * (n + 1)) / 2,
  impls: rows("tiny"),
  targets: [{ vs: "piscina", kind: "faster", factor: 1 }],
};

/** executor-cpu: N calls hashing 1 MiB each on 2 workers, and on 1 worker for the speedup. */
export const cpuCalls = {
  name: "executor-cpu",
  dir: "executor",
  description:
    "N CPU-bound calls (SHA-256 of 1 MiB) on 2 warmed-up workers, and on 1 for the speedup",
  n: 200,
  expect: (n) => {
    let total = 0;
    for (let i = 0; i < n; i++) total += hash(i);
    return total;
  },
  impls: [
    ...rows("hash"),
    subject("asyncio-ts.mjs", NEEDS, {
      id: "asyncio-ts-1-worker",
      label: "asyncio-ts, 1 worker",
      args: ["hash", "1"],
    }),
  ],
  targets: [
    { vs: "asyncio-ts-1-worker", kind: "faster", factor: 1.7 },
    { vs: "piscina", kind: "faster", factor: 1 },
  ],
};
