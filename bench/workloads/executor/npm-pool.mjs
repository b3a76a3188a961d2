// executor with an npm thread pool (piscina or tinypool, whose APIs match here): N calls of
// tasks.mjs's `tiny` or `hash` on W threads, all submitted at once, then Promise.all.
// The pool is warmed up (one call per thread) before the clock starts.
import { measure, modeArg, sizeArg, sum } from "../common/measure.mjs";

const n = sizeArg(20_000);
const name = modeArg(1, ["tiny", "hash"]);
const workers = Number(modeArg(2, ["2", "1"]));
const library = modeArg(3, ["piscina", "tinypool"]);
const filename = new URL("./tasks.mjs", import.meta.url).href;

const exported = { piscina: "Piscina", tinypool: "Tinypool" }[library];
const Pool = (await import(library))[exported];
const pool = new Pool({ filename, minThreads: workers, maxThreads: workers });
await Promise.all(Array.from({ length: workers }, (_, i) => pool.run(i, { name })));

await measure(async () => {
  const promises = [];
  for (let i = 0; i < n; i++) promises.push(pool.run(i, { name }));
  return sum(await Promise.all(promises));
});
await pool.destroy();
