#!/usr/bin/env node
// The `aio` command line; the code lives in dist/src/cli.js (built by `npm run build`).
import { main } from "../dist/src/cli.js";

process.exitCode = await main(process.argv.slice(2));
