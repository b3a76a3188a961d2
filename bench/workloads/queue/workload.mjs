import { floor, npmAnchor, pythonAnchors, subject } from "../../lib/impls.mjs";

/** queue: N items through a queue bounded at 100, 4 producers and 4 consumers. */
export default {
  name: "queue",
  dir: "queue",
  description: "N items through a Queue(100), 4 producer and 4 consumer tasks",
  n: 1_000_000,
  scales: [10_000, 100_000, 1_000_000],
  expect: (n) => (n * (n - 1)) / 2,
  impls: [
    subject("asyncio-ts.mjs", ["run", "createTask", "gather", "Queue"]),
    floor("hand-written bounded channel", "floor.mjs"),
    npmAnchor("effect", "effect.mjs", { label: "Effect Queue.bounded" }),
    ...pythonAnchors("python.py", { what: "asyncio.Queue" }),
  ],
  targets: [
    { vs: "asyncio", kind: "faster", factor: 2 },
    { vs: "effect", kind: "faster", factor: 1 },
  ],
};
