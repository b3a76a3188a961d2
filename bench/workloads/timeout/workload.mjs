import { floor, npmAnchor, pythonAnchor, pythonAnchors, subject } from "../../lib/impls.mjs";

const triangle = (n) => (n * (n - 1)) / 2;

function timeoutWorkload(name, shape, description) {
  return {
    name,
    dir: "timeout",
    description,
    n: 100_000,
    expect: triangle,
    impls: [
      subject("asyncio-ts.mjs", ["run", "createTask", "gather", "timeout"], {
        args: [shape, "timeout"],
      }),
      subject("asyncio-ts.mjs", ["run", "createTask", "gather", "waitFor"], {
        id: "asyncio-ts-waitFor",
        label: "asyncio-ts waitFor",
        args: [shape, "waitFor"],
      }),
      floor("setTimeout/clearTimeout", "floor.mjs", [shape]),
      npmAnchor("p-timeout", "p-timeout.mjs", { args: [shape] }),
      ...pythonAnchors("python.py", { what: "asyncio.timeout", args: [shape, "timeout"] }),
      pythonAnchor("asyncio-wait_for", "python.py", {
        label: "asyncio.wait_for",
        runtime: "python313",
        args: [shape, "wait_for"],
      }),
    ],
    targets: [
      { vs: "asyncio", kind: "faster", factor: 5 },
      { vs: "p-timeout", kind: "faster", factor: 1 },
      { subject: "asyncio-ts-waitFor", vs: "asyncio-wait_for", kind: "faster", factor: 5 },
    ],
  };
}

/** timeout: N timeout scopes that do not fire, one per task (the target of issue 2). */
export const concurrent = timeoutWorkload(
  "timeout",
  "concurrent",
  "N tasks gathered, each inside one 10 s timeout scope that does not fire",
);

/** timeout-seq: the same scopes entered one after another by a single task. */
export const sequential = timeoutWorkload(
  "timeout-seq",
  "sequential",
  "one task entering N 10 s timeout scopes in a row, none of which fires",
);
