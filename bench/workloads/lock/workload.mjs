import { floor, npmAnchor, pythonAnchors, subject } from "../../lib/impls.mjs";

const TASKS = 100;

/** lock: 100 tasks contending for one lock, N acquire/release pairs in total. */
export default {
  name: "lock",
  dir: "lock",
  description: "100 tasks contend for one Lock, N acquire/release in total",
  n: 100_000,
  expect: (n) => TASKS * Math.ceil(n / TASKS),
  impls: [
    subject("asyncio-ts.mjs", ["run", "createTask", "gather", "Lock"]),
    floor("hand-written FIFO lock", "floor.mjs"),
    npmAnchor("async-mutex", "async-mutex.mjs", { label: "async-mutex Mutex" }),
    ...pythonAnchors("python.py", { what: "asyncio.Lock" }),
  ],
  targets: [
    { vs: "async-mutex", kind: "faster", factor: 1 },
    { vs: "asyncio", kind: "faster", factor: 3 },
  ],
};
