// Shape of the queue workload shared by every JavaScript implementation: N items split over
// PRODUCERS producers through a queue bounded at MAXSIZE to CONSUMERS consumers. After every
// producer is done, one STOP sentinel per consumer ends the consumers. `producer` and `consumer`
// serve every queue with asyncio's `put`/`get` interface (asyncio-ts and the floor).

/** Queue bound. */
export const MAXSIZE = 100;
/** Producer count. */
export const PRODUCERS = 4;
/** Consumer count. */
export const CONSUMERS = 4;
/** End-of-stream marker (items are non-negative). */
export const STOP = -1;

/**
 * The items producer `p` puts: every PRODUCERS-th number from p, below n.
 * @param {number} p
 * @param {number} n
 */
export function* itemsOf(p, n) {
  for (let i = p; i < n; i += PRODUCERS) yield i;
}

/**
 * Put producer p's share of the n items.
 * @param {{ put(item: number): PromiseLike<unknown> }} queue
 * @param {number} p
 * @param {number} n
 */
export async function producer(queue, p, n) {
  for (const item of itemsOf(p, n)) await queue.put(item);
}

/**
 * Sum items until STOP arrives.
 * @param {{ get(): PromiseLike<number> }} queue
 */
export async function consumer(queue) {
  let total = 0;
  for (;;) {
    const item = await queue.get();
    if (item === STOP) return total;
    total += item;
  }
}
