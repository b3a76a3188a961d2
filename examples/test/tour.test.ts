/**
 * The tour: it lists every program of the registry, runs those that exist under the virtual
 * clock, names those still to come, reports failures without stopping, and exits by itself.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { runTour } from "../src/tour.js";
import { TOUR } from "../src/tour-registry.js";

const tourScript = fileURLToPath(new URL("../src/tour.js", import.meta.url));
const built = (module: string) =>
  existsSync(fileURLToPath(new URL(`../src/${module}.js`, import.meta.url)));

describe("the tour", () => {
  test("runs to completion as a child process, exits 0 by itself, and covers every entry", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [tourScript], {
      timeout: 120_000,
    });
    const lines = stdout.split("\n");
    assert.equal(lines[0], "asyncio-ts: a tour of the seed programs");
    for (const [i, entry] of TOUR.entries()) {
      const heading = lines.indexOf(`[${i + 1}/${TOUR.length}] ${entry.module}  (${entry.seed})`);
      assert.ok(heading >= 0, `a heading for ${entry.module}`);
      assert.equal(lines[heading + 1], `  ${entry.shows}`);
      const outcome = lines.slice(heading + 2).find((l) => /^ {2}[✓✗…]/.test(l));
      if (built(entry.module)) assert.match(outcome ?? "", /^ {2}✓ /, `${entry.module} ran`);
      else assert.equal(outcome, `  … coming with ${entry.feature}`);
    }
    const delivery = lines.indexOf("  │ [1, 2, 3]");
    assert.ok(delivery > 0, "the delivery program's output is shown");
    assert.match(lines[delivery + 2] ?? "", /^ {2}✓ 3\.0 s of virtual time in \d+ ms$/);
    assert.ok(!stdout.includes("FAILED"), stdout);
    assert.match(stdout, /\d+ programs ran: [\d.]+ s of virtual time in /);
  });

  test("reports a failing program and goes on; a missing one is 'coming with' its feature", async () => {
    const printed: string[] = [];
    const summary = await runTour(
      (line) => printed.push(line),
      [
        { module: "../test/fixtures/failing-program", seed: "a fixture", shows: "it fails" },
        { module: "no-such-program", seed: "not yet", shows: "later", feature: "a future" },
        { module: "seed000-hello", seed: "seed 000", shows: "hello world" },
      ],
    );
    assert.deepEqual(summary.failed, ["../test/fixtures/failing-program"]);
    assert.deepEqual(summary.coming, ["no-such-program"]);
    assert.deepEqual(summary.ran, ["seed000-hello"]);
    assert.equal(summary.virtualSeconds, 1, "only the programs that ran count");
    assert.ok(printed.includes("  │ about to fail"));
    assert.ok(printed.some((l) => l.startsWith("  ✗ failed: RangeError: the fixture program")));
    assert.ok(printed.includes("  … coming with a future"));
    assert.ok(printed.includes("  │ world"));
    assert.equal(printed.at(-1), "1 FAILED: ../test/fixtures/failing-program.");
  });
});
