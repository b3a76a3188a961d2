/**
 * Seed 002's endpoint served for real (examples/src/burgers.ts): concurrent orders share one
 * cooking time, a customer who hangs up gets its handler cancelled, and the server closes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { main } from "../src/burgers.js";

test("burgers: three orders cook together, a hung-up order is cancelled, the server closes", async () => {
  const lines: string[] = [];
  await main((line) => lines.push(line), { cookSeconds: 0.5 });
  assert.deepEqual(lines, [
    "== concurrent burgers: three customers order at once ==",
    'kitchen: order #1 taken by task "GET /burgers", cooking 2',
    'kitchen: order #2 taken by task "GET /burgers", cooking 2',
    'kitchen: order #3 taken by task "GET /burgers", cooking 2',
    "kitchen: order #1 ready",
    "kitchen: order #2 ready",
    "kitchen: order #3 ready",
    "customer 1: got burger 1 and burger 2",
    "customer 2: got burger 1 and burger 2",
    "customer 3: got burger 1 and burger 2",
    "the kitchen cooked 3 orders at once: one cooking time, not three",
    "== a customer gives up before the burgers are ready ==",
    'kitchen: order #4 taken by task "GET /burgers", cooking 2',
    "customer 4: gave up after 0.25 s, hung up",
    "kitchen: order #4 cancelled (client disconnected), grill turned off",
    "== closing time ==",
    "server: closed; 4 orders, 1 cancelled",
  ]);
});
