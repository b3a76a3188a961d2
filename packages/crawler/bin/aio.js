#!/usr/bin/env node
// The `aio` command line; the code lives in dist/src/cli.js (built by `npm run build`).
let main;
try {
  ({ main } = await import("../dist/src/cli.js"));
} catch (err) {
  // `npm install` links this bin (`npx aio`) but does not compile the TypeScript: say what to
  // run instead of printing a module-resolution stack.
  if (err?.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/src/cli.js")) {
    process.stderr.write(
      "aio: the crawler is not built yet: run 'npm run build' (or 'npm start') at the repository root first\n",
    );
    process.exit(2);
  }
  throw err;
}

process.exitCode = await main(process.argv.slice(2));
