/**
 * `node --import ./register.js program.js` runs `program.js` with `run()` on a VirtualClock by
 * default (see asyncio-ts.ts): sleeps and timeouts take no real time and the output does not
 * depend on the machine's load.
 */
import { register } from "node:module";

register("./hooks.js", import.meta.url);
