import { floor, npmAnchor, pythonAnchors, subject } from "../../lib/impls.mjs";

const triangle = (n) => (n * (n - 1)) / 2;

/** spawn: create and await N trivial tasks (createTask + gather). */
export default {
  name: "spawn",
  dir: "spawn",
  description: "create and await N trivial tasks (createTask + gather)",
  n: 100_000,
  scales: [10_000, 100_000, 1_000_000],
  expect: triangle,
  impls: [
    subject("asyncio-ts.mjs", ["run", "createTask", "gather"]),
    floor("Promise.all", "floor.mjs"),
    npmAnchor("effect", "effect.mjs", { label: "Effect fork/join" }),
    // Effection needs ~20 s and ~1.7 GiB for 100k spawns; 1M would need minutes and ~17 GiB.
    npmAnchor("effection", "effection.mjs", { label: "Effection spawn", maxN: 100_000 }),
    ...pythonAnchors("python.py"),
  ],
  targets: [
    { vs: "floor", kind: "within", factor: 3 },
    { vs: "asyncio", kind: "faster", factor: 4 },
  ],
};
