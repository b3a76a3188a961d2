// The bare-JavaScript floors of the synchronization workloads: the least code that gives FIFO,
// no-barging semantics without cancellation support. Waiter lists are arrays with a moving head
// index (O(1) per operation, compacted when half consumed), so the floor is not slowed by
// Array.shift.

class Fifo {
  items = [];
  head = 0;

  get size() {
    return this.items.length - this.head;
  }

  push(item) {
    this.items.push(item);
  }

  shift() {
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** Counting semaphore: `release` hands the permit straight to the oldest waiter. */
export class FloorSemaphore {
  waiters = new Fifo();

  constructor(value) {
    this.value = value;
  }

  acquire() {
    if (this.value > 0 && this.waiters.size === 0) {
      this.value--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release() {
    if (this.waiters.size > 0) this.waiters.shift()();
    else this.value++;
  }
}

/** Bounded FIFO channel: `put` waits while full, `get` waits while empty. */
export class FloorChannel {
  buffer = new Fifo();
  getters = new Fifo();
  putters = new Fifo();

  constructor(maxsize) {
    this.maxsize = maxsize;
  }

  async put(item) {
    if (this.getters.size > 0) {
      this.getters.shift()(item);
      return;
    }
    while (this.buffer.size >= this.maxsize) {
      await new Promise((resolve) => this.putters.push(resolve));
    }
    this.buffer.push(item);
  }

  get() {
    if (this.buffer.size > 0) {
      const item = this.buffer.shift();
      if (this.putters.size > 0) this.putters.shift()();
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }
}
