import { floor, pythonAnchors, subject } from "../../lib/impls.mjs";

/** sleep: N concurrent sleep(1) gathered (the seeds' 10,000-sleeps demo, scaled up). */
export default {
  name: "sleep",
  dir: "sleep",
  description: "N concurrent tasks each sleeping 1 s, gathered",
  n: 1_000_000,
  scales: [10_000, 100_000, 1_000_000],
  expect: (n) => n,
  impls: [
    subject("asyncio-ts.mjs", ["run", "createTask", "gather", "sleep"]),
    floor("setTimeout", "floor.mjs"),
    ...pythonAnchors("python.py"),
  ],
  targets: [
    { vs: "asyncio", kind: "faster", factor: 10 },
    { vs: "floor", kind: "within", factor: 1.5 },
    { vs: "asyncio", kind: "memoryBelow", factor: 0.5 },
  ],
};
