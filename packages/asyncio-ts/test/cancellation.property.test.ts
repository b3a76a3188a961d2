// Random cancellation of random trees of scopes: nothing hangs, nothing leaks, every cleanup runs
// exactly once, and the clock never runs past the longest sleep.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  createTask,
  gather,
  getRunningLoop,
  run,
  shield,
  sleep,
  type Task,
  taskGroup,
  timeout,
  waitFor,
} from "../src/index.js";
import { VirtualClock } from "../src/testing.js";

type Work =
  | { kind: "sleep"; seconds: number }
  | { kind: "fail"; after: number }
  | { kind: "timeout" | "waitFor"; limit: number; body: Work }
  | { kind: "shield"; body: Work }
  | { kind: "group" | "gather"; children: Work[] };

const seconds = fc.integer({ min: 0, max: 20 });
const work: fc.Arbitrary<Work> = fc.letrec<{ work: Work }>((tie) => ({
  work: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("sleep" as const), seconds }),
    fc.record({ kind: fc.constant("fail" as const), after: seconds }),
    fc.record({
      kind: fc.constantFrom("timeout" as const, "waitFor" as const),
      limit: seconds,
      body: tie("work"),
    }),
    fc.record({ kind: fc.constant("shield" as const), body: tie("work") }),
    fc.record({
      kind: fc.constantFrom("group" as const, "gather" as const),
      children: fc.array(tie("work"), { maxLength: 4 }),
    }),
  ),
})).work;

interface Ledger {
  started: number;
  cleaned: number;
  longest: number;
}

/** Runs `w`; every body counts its start and its cleanup in the ledger. */
async function perform(w: Work, ledger: Ledger): Promise<unknown> {
  ledger.started++;
  try {
    switch (w.kind) {
      case "sleep":
        ledger.longest = Math.max(ledger.longest, w.seconds);
        return await sleep(w.seconds);
      case "fail":
        await sleep(w.after);
        throw new Error("planned failure");
      case "timeout":
        return await timeout(w.limit, () => perform(w.body, ledger));
      case "waitFor":
        return await waitFor(() => perform(w.body, ledger), w.limit);
      case "shield":
        return await shield(() => perform(w.body, ledger));
      case "group":
        return await taskGroup(async (tg) => {
          for (const child of w.children) tg.createTask(() => perform(child, ledger));
        });
      case "gather":
        return await gather(w.children.map((child) => () => perform(child, ledger)));
    }
  } finally {
    ledger.cleaned++;
  }
}

test("random scope trees under random cancellations: every cleanup runs once and nothing is left", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(work, { minLength: 1, maxLength: 4 }),
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 25 }), target: fc.nat() }), {
        maxLength: 6,
      }),
      async (roots, cancels) => {
        const ledger: Ledger = { started: 0, cleaned: 0, longest: 0 };
        let leftover = -1;
        await run(
          async () => {
            const loop = getRunningLoop();
            loop.setExceptionHandler(() => {}); // failures of shielded, abandoned work are expected
            const tasks: Task<unknown>[] = roots.map((root) =>
              createTask(() => perform(root, ledger)),
            );
            for (const { at, target } of cancels)
              loop.callLater(at, () => tasks[target % tasks.length]!.cancel());
            await gather(tasks, { returnExceptions: true });
            // Shielded work may outlive its awaiter: let it finish, then check nothing is left.
            await sleep(100);
            leftover = loop._pendingTasks().length - 1; // minus main
            // Everything in a tree runs concurrently and no sleep is longer than 20 s.
            assert.ok(loop.time() <= 120, `the clock ran to ${loop.time()}`);
          },
          { clock: new VirtualClock() },
        );
        assert.equal(leftover, 0, "no task is left pending");
        assert.equal(
          ledger.cleaned,
          ledger.started,
          "every started body ran its cleanup exactly once",
        );
      },
    ),
    { numRuns: 300 },
  );
});
