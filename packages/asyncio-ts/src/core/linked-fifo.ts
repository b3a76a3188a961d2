/**
 * LinkedFifo: an intrusive doubly linked FIFO, the one list every waiter queue of the kernel is
 * built on (WaiterQueue for futures, GrantQueue for Lock and Semaphore waiters).
 *
 * The nodes carry their own links, so push at either end, shift and removal of any node are O(1)
 * and allocate nothing; removal is what a cancelled waiter does to leave its queue at once.
 *
 * Invariant: a node is linked into at most one list, and `node._queue` is that list (null once it
 * left); `length` counts the linked nodes.
 */

/** The links a node of a LinkedFifo carries. */
export interface FifoNode<N> {
  _prev: N | null;
  _next: N | null;
  /** The list the node is linked into (a LinkedFifo of its kind), null while unlinked. */
  _queue: object | null;
}

export class LinkedFifo<N extends FifoNode<N>> {
  private head: N | null = null;
  private tail: N | null = null;
  /** The number of nodes in the list. */
  length = 0;

  /** Links `node` at the back. */
  pushNode(node: N): void {
    const tail = this.tail;
    node._prev = tail;
    node._queue = this;
    if (tail === null) this.head = node;
    else tail._next = node;
    this.tail = node;
    this.length++;
  }

  /** Links `node` at the front (a woken waiter that must wait again keeps its turn). */
  pushNodeFront(node: N): void {
    const head = this.head;
    node._next = head;
    node._queue = this;
    if (head === null) this.tail = node;
    else head._prev = node;
    this.head = node;
    this.length++;
  }

  /** The oldest node, without removing it. */
  peek(): N | null {
    return this.head;
  }

  /** Removes and returns the oldest node. */
  shiftNode(): N | undefined {
    const node = this.head;
    if (node === null) return undefined;
    this._unlink(node);
    return node;
  }

  *[Symbol.iterator](): IterableIterator<N> {
    for (let node = this.head; node !== null; node = node._next) yield node;
  }

  /** @internal Removes `node`, which must be linked into this list. */
  _unlink(node: N): void {
    const { _prev: prev, _next: next } = node;
    if (prev === null) this.head = next;
    else prev._next = next;
    if (next === null) this.tail = prev;
    else next._prev = prev;
    node._prev = node._next = null;
    node._queue = null;
    this.length--;
  }
}
