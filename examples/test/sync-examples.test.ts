/**
 * Seed 004 §11 (Semaphore, Lock) and exercise 3 (rate limiter): every printed line with the
 * virtual time it was printed at, and the total virtual duration.
 */
import { describe, test } from "node:test";
import { main as rateLimiter } from "../src/rate-limiter-exercise.js";
import { main as lock } from "../src/seed004-lock.js";
import { main as semaphore } from "../src/seed004-semaphore.js";
import { expectOutput } from "./capture.js";

describe("seed 004 §11 and exercise 3: synchronization and rate limiting", () => {
  test("Semaphore(3): ten one-second tasks, three at a time, in four seconds", async () => {
    const timeline: string[] = [];
    for (const [second, batch] of [
      [0, [0, 1, 2]],
      [1, [3, 4, 5]],
      [2, [6, 7, 8]],
      [3, [9]],
    ] as const) {
      if (second > 0) {
        const previous = second === 1 ? [0, 1, 2] : second === 2 ? [3, 4, 5] : [6, 7, 8];
        for (const n of previous) timeline.push(`${second}.0 task ${n} done`);
      }
      for (const n of batch) timeline.push(`${second}.0 task ${n} started`);
    }
    timeline.push("4.0 task 9 done");
    await expectOutput(semaphore, { timeline, duration: 4 });
  });

  test("Lock: A, B and C hold the lock one after the other", async () => {
    await expectOutput(lock, {
      timeline: [
        "0.0 A acquired",
        "1.0 A released",
        "1.0 B acquired",
        "2.0 B released",
        "2.0 C acquired",
        "3.0 C released",
      ],
      duration: 3,
    });
  });

  test("rate limiter: 4 requests per second, then 2 per second per host", async () => {
    await expectOutput(rateLimiter, {
      lines: [
        "-- 4 requests per second --",
        ...Array.from({ length: 12 }, (_, i) => `${(i * 0.25).toFixed(2)} s: request ${i}`),
        "12 responses by 2.85 s",
        "-- 2 requests per second per host --",
        "0.00 s: a.example/1",
        "0.00 s: b.example/1",
        "0.50 s: a.example/2",
        "0.50 s: b.example/2",
        "1.00 s: a.example/3",
      ],
    });
  });
});
