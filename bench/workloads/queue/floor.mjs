// queue floor: N items through a minimal hand-written bounded channel, 4 producers, 4 consumers.
import { FloorChannel } from "../common/floor-sync.mjs";
import { measure, sizeArg, sum } from "../common/measure.mjs";
import { CONSUMERS, consumer, MAXSIZE, PRODUCERS, producer, STOP } from "../common/queue-shape.mjs";

const n = sizeArg(1_000_000);

await measure(async () => {
  const channel = new FloorChannel(MAXSIZE);
  const consumers = [];
  for (let c = 0; c < CONSUMERS; c++) consumers.push(consumer(channel));
  const producers = [];
  for (let p = 0; p < PRODUCERS; p++) producers.push(producer(channel, p, n));
  await Promise.all(producers);
  for (let c = 0; c < CONSUMERS; c++) await channel.put(STOP);
  return sum(await Promise.all(consumers));
});
