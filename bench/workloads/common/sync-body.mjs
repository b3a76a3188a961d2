// The shape of the semaphore and lock workloads shared by the JavaScript implementations whose
// primitive has asyncio's `acquire()`/`release()` interface (asyncio-ts and the floor), so they
// run the very same program. While it holds the permit, a task suspends once (a microtask, the
// cheapest suspension JavaScript has); Python's side suspends with `await asyncio.sleep(0)`,
// its cheapest suspension.

/** Concurrency limit of the semaphore workload. */
export const LIMIT = 16;

/** Tasks contending in the lock workload. */
export const LOCK_TASKS = 100;

/**
 * The critical section: one suspension, then the item back (summed as the checksum).
 * @param {number} i
 */
export async function work(i) {
  await null;
  return i;
}

/**
 * One task of the semaphore workload: take a permit, do the work, give the permit back.
 * @param {{ acquire(): PromiseLike<unknown>, release(): void }} sem
 * @param {number} i
 */
export async function limitedTask(sem, i) {
  await sem.acquire();
  try {
    return await work(i);
  } finally {
    sem.release();
  }
}

/**
 * One of the LOCK_TASKS workers of the lock workload: `rounds` acquire/work/release cycles.
 * @param {{ acquire(): PromiseLike<unknown>, release(): void }} lock
 * @param {number} rounds
 * @returns {Promise<number>} how many times it held the lock
 */
export async function lockWorker(lock, rounds) {
  let held = 0;
  for (let r = 0; r < rounds; r++) {
    await lock.acquire();
    try {
      held += await work(1);
    } finally {
      lock.release();
    }
  }
  return held;
}
