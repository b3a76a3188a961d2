// queue with Effect: N items through Queue.bounded(100), 4 producer and 4 consumer fibers.
import { Effect, Fiber, Queue } from "effect";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { CONSUMERS, itemsOf, MAXSIZE, PRODUCERS, STOP } from "../common/queue-shape.mjs";

const n = sizeArg(1_000_000);

const producer = (queue, p) =>
  Effect.gen(function* () {
    for (const item of itemsOf(p, n)) yield* Queue.offer(queue, item);
  });

const consumer = (queue) =>
  Effect.gen(function* () {
    let total = 0;
    for (;;) {
      const item = yield* Queue.take(queue);
      if (item === STOP) return total;
      total += item;
    }
  });

const program = Effect.gen(function* () {
  const queue = yield* Queue.bounded(MAXSIZE);
  const consumers = [];
  for (let c = 0; c < CONSUMERS; c++) consumers.push(yield* Effect.forkChild(consumer(queue)));
  const producers = [];
  for (let p = 0; p < PRODUCERS; p++) producers.push(yield* Effect.forkChild(producer(queue, p)));
  yield* Fiber.joinAll(producers);
  for (let c = 0; c < CONSUMERS; c++) yield* Queue.offer(queue, STOP);
  return sum(yield* Fiber.joinAll(consumers));
});

await measure(() => Effect.runPromise(program));
