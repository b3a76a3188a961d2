/**
 * Every example also runs as a script (`node examples/dist/src/<name>.js`), printing what its
 * `main` prints: with `--virtual` under the virtual clock, and without it on real time (on the
 * global loop for the programs that drive the loop by hand, as the seeds do).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { ExampleMain } from "../src/lib/program.js";
import { TOUR } from "../src/tour-registry.js";
import { capture } from "./capture.js";

const execute = promisify(execFile);
const scriptOf = (module: string) => fileURLToPath(new URL(`../src/${module}.js`, import.meta.url));

async function linesOf(module: string): Promise<string[]> {
  const { main } = (await import(`../src/${module}.js`)) as { main: ExampleMain };
  return (await capture(main)).lines;
}

async function scriptOutput(module: string, args: string[]): Promise<string[]> {
  const { stdout } = await execute(process.execPath, [scriptOf(module), ...args], {
    timeout: 60_000,
  });
  return stdout.split("\n").slice(0, -1);
}

// One program of each shape: asyncio.run style, run_until_complete style, several runs, real I/O.
const shapes = [
  "seed000-delivery",
  "seed001-coroutines",
  "seed004-coroutine-object",
  "seed004-aiofiles",
];

describe("examples as scripts", () => {
  test("with --virtual, each prints exactly what its main prints under the virtual clock", async () => {
    for (const module of shapes) {
      assert.ok(
        TOUR.some((e) => e.module === module),
        `${module} is in the tour`,
      );
      assert.deepEqual(await scriptOutput(module, ["--virtual"]), await linesOf(module), module);
    }
  });

  test("a program on real sockets ignores --virtual, says so, and exits", async () => {
    // On virtual time the customer's timeout expired before its request reached the server, and
    // the program waited forever for the server to see it.
    const { stdout, stderr } = await execute(process.execPath, [scriptOf("burgers"), "--virtual"], {
      timeout: 30_000,
    });
    assert.equal(
      stderr,
      "--virtual ignored: this program runs on real time only (it serves and fetches over real sockets)\n",
    );
    assert.match(stdout, /cooked 3 orders at once/);
    assert.match(stdout, /server: closed; 4 orders, 1 cancelled\n$/);
  });

  test("on real time, the programs that drive the loop by hand run on the global loop and exit", async () => {
    for (const module of ["seed003-calculator", "seed003-show-text"]) {
      assert.deepEqual(await scriptOutput(module, []), await linesOf(module), module);
    }
  });
});
