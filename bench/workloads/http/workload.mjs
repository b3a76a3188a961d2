import { floor, npmAnchor, pythonAnchor, subject } from "../../lib/impls.mjs";
import { BODY } from "./server.mjs";

/** http: N GETs to a local keep-alive server, 64 in flight at a time. */
export default {
  name: "http",
  dir: "http",
  description:
    "N GETs to a local keep-alive server (its own process), 64 in flight; body read as text",
  n: 20_000,
  expect: (n) => n * BODY.length,
  impls: [
    subject("asyncio-ts.mjs", ["run", "taskGroup"], { label: "asyncio-ts ClientSession" }),
    floor("raw undici request", "undici-floor.mjs"),
    npmAnchor("fetch", "fetch.mjs", { label: "fetch (built in)", packages: [] }),
    npmAnchor("got", "got.mjs"),
    pythonAnchor("aiohttp", "aiohttp.py", {
      label: "aiohttp ClientSession",
      runtime: "pythonSystem",
    }),
    pythonAnchor("aiohttp-uvloop", "aiohttp.py", {
      label: "aiohttp ClientSession + uvloop",
      runtime: "pythonSystem",
      loop: "uvloop",
    }),
  ],
  targets: [
    { vs: "floor", kind: "within", factor: 1.3 },
    { vs: "fetch", kind: "faster", factor: 1 },
    { vs: "got", kind: "faster", factor: 1 },
    { vs: "aiohttp", kind: "faster", factor: 3 },
  ],
};
