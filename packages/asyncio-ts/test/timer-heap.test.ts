import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Deque } from "../src/core/deque.js";
import { TimerHandle } from "../src/core/handle.js";
import { TimerHeap } from "../src/core/timer-heap.js";

test("timers come out in (deadline, scheduling order) whatever the insertion pattern and cancellations", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ when: fc.integer({ min: 0, max: 50 }), cancel: fc.boolean() }), {
        maxLength: 400,
      }),
      (specs) => {
        const heap = new TimerHeap();
        const timers = specs.map((spec, seq) => {
          const timer = new TimerHandle(spec.when, seq, () => {}, null);
          timer._onCancel = () => heap.noteCancelled();
          heap.push(timer);
          return timer;
        });
        specs.forEach((spec, i) => {
          if (spec.cancel) timers[i]!.cancel();
        });
        const expected = timers
          .filter((t) => !t._cancelled)
          .sort((a, b) => a._when - b._when || a._seq - b._seq)
          .map((t) => t._seq);
        const actual: number[] = [];
        for (let t = heap.pop(); t !== undefined; t = heap.pop()) actual.push(t._seq);
        assert.deepEqual(actual, expected);
        assert.equal(heap.cancelledCount, 0);
      },
    ),
    { numRuns: 300 },
  );
});

test("interleaved pushes and pops keep the order", () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), { maxLength: 300 }),
      (ops) => {
        const heap = new TimerHeap();
        const reference: TimerHandle[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op === undefined) {
            reference.sort((a, b) => a._when - b._when || a._seq - b._seq);
            assert.equal(heap.pop(), reference.shift());
          } else {
            const timer = new TimerHandle(op, seq++, () => {}, null);
            heap.push(timer);
            reference.push(timer);
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});

test("Deque is a FIFO that grows past its capacity", () => {
  const d = new Deque<number>(2);
  for (let i = 0; i < 100; i++) d.push(i);
  assert.equal(d.length, 100);
  assert.equal(d.peek(), 0);
  assert.equal(d.peekLast(), 99);
  assert.deepEqual([...d].slice(0, 3), [0, 1, 2]);
  const out: number[] = [];
  while (d.length > 0) out.push(d.shift()!);
  assert.deepEqual(
    out,
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.equal(d.shift(), undefined);
  assert.equal(d.peek(), undefined);
});
