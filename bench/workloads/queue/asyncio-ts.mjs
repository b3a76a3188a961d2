// queue: N items through a Queue(100) from 4 producer tasks to 4 consumer tasks.
import { createTask, gather, Queue, run } from "../../../packages/asyncio-ts/dist/src/index.js";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { CONSUMERS, consumer, MAXSIZE, PRODUCERS, producer, STOP } from "../common/queue-shape.mjs";

const n = sizeArg(1_000_000);

await measure(() =>
  run(async () => {
    const queue = new Queue(MAXSIZE);
    const consumers = [];
    for (let c = 0; c < CONSUMERS; c++) consumers.push(createTask(() => consumer(queue)));
    const producers = [];
    for (let p = 0; p < PRODUCERS; p++) producers.push(createTask(() => producer(queue, p, n)));
    await gather(producers);
    for (let c = 0; c < CONSUMERS; c++) await queue.put(STOP);
    return sum(await gather(consumers));
  }),
);
