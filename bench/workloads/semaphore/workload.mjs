import { floor, npmAnchor, pythonAnchors, subject } from "../../lib/impls.mjs";

/** semaphore: N tasks through a limit of 16, each holding its permit across one suspension. */
export default {
  name: "semaphore",
  dir: "semaphore",
  description: "N tasks through a Semaphore(16); each suspends once while holding a permit",
  n: 100_000,
  expect: (n) => (n * (n - 1)) / 2,
  impls: [
    subject("asyncio-ts.mjs", ["run", "gather", "Semaphore"]),
    floor("hand-written FIFO semaphore", "floor.mjs"),
    npmAnchor("p-limit", "p-limit.mjs"),
    npmAnchor("p-queue", "p-queue.mjs"),
    npmAnchor("async-mutex", "async-mutex.mjs", { label: "async-mutex Semaphore" }),
    ...pythonAnchors("python.py", { what: "asyncio.Semaphore" }),
  ],
  targets: [
    { vs: "p-limit", kind: "faster", factor: 1 },
    { vs: "asyncio", kind: "faster", factor: 5 },
  ],
};
