/**
 * The programs of seeds 000-003: each runs under the virtual clock; the test asserts every
 * printed line, the virtual time it was printed at, and the total virtual duration.
 */
import { describe, test } from "node:test";
import { main as delivery } from "../src/seed000-delivery.js";
import { main as hello } from "../src/seed000-hello.js";
import { main as coroutines } from "../src/seed001-coroutines.js";
import { main as burgers } from "../src/seed002-burgers-await.js";
import { main as calculator } from "../src/seed003-calculator.js";
import { main as showText } from "../src/seed003-show-text.js";
import { expectOutput } from "./capture.js";

describe("seed 000", () => {
  test("hello: 'world' comes one second after 'hello'", async () => {
    await expectOutput(hello, { timeline: ["0.0 hello", "1.0 world"], duration: 1 });
  });

  test("delivery: three deliveries with gather take 3 hours (the longest), not 6 (the sum)", async () => {
    await expectOutput(delivery, {
      timeline: [
        "0.0 Delivered to A!",
        "0.0 Delivered to B!",
        "0.0 Delivered to C!",
        "1.0 A finished eating, took 1 h...",
        "1.0 A's dishes collected",
        "2.0 B finished eating, took 2 h...",
        "2.0 B's dishes collected",
        "3.0 C finished eating, took 3 h...",
        "3.0 C's dishes collected",
        "3.0 [1, 2, 3]",
        "3.0 3.0 s",
      ],
      duration: 3,
    });
  });
});

describe("seed 001", () => {
  test("coroutines: both start in order, coroutine 2 (4 s) resumes before coroutine 1 (5 s)", async () => {
    await expectOutput(coroutines, {
      timeline: [
        "0.0 Coroutine 1 started",
        "0.0 Coroutine 1 paused... waiting 5 s",
        "0.0 Coroutine 2 started",
        "0.0 Coroutine 2 paused... waiting 4 s",
        "4.0 Coroutine 2 resumed",
        "5.0 Coroutine 1 resumed",
      ],
      duration: 5,
    });
  });
});

describe("seed 002", () => {
  test("burgers: talking covers the cooking (6 s); waiting at the counter first takes 11 s", async () => {
    await expectOutput(burgers, {
      timeline: [
        "0.0 == concurrent burgers: order, take a ticket, talk while the cook works ==",
        "0.0 customer: ordered, got ticket #1",
        "0.0 customer: talking with my girlfriend (1/3)",
        "0.0 cook: making 2 burgers",
        "2.0 customer: talking with my girlfriend (2/3)",
        "4.0 customer: talking with my girlfriend (3/3)",
        "5.0 cook: 2 burgers ready",
        "6.0 customer: picked up burger 1 and burger 2 after 6.0 s",
        "6.0 == sequential burgers: wait at the counter, then talk ==",
        "6.0 cook: making 2 burgers",
        "11.0 cook: 2 burgers ready",
        "11.0 customer: picked up burger 1 and burger 2",
        "11.0 customer: talking with my girlfriend (1/3)",
        "13.0 customer: talking with my girlfriend (2/3)",
        "15.0 customer: talking with my girlfriend (3/3)",
        "17.0 customer: done after 11.0 s",
      ],
      duration: 17,
    });
  });
});

describe("seed 003", () => {
  test("show text: runUntilComplete, a call without await (runs at once in JS), and await", async () => {
    await expectOutput(showText, {
      lines: [
        "[loop.runUntilComplete(showText)]",
        "Hello world!",
        "[main() calls showText() without await]",
        "Hello world!",
        "(asyncio prints nothing here: the coroutine object is created but never run)",
        "[main() awaits showText()]",
        "Hello world!",
      ],
      duration: 0,
    });
  });

  test("calculator: the awaited coroutine's value is printed", async () => {
    await expectOutput(calculator, { lines: ["2 * 5 = 10"], duration: 0 });
  });
});
