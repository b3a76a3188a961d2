/**
 * The pending tasks of a loop, as an intrusive doubly linked list through the tasks' own
 * `_prevTask`/`_nextTask` fields: add and remove are O(1) with no hashing, which matters when a
 * program creates a hundred thousand tasks (a Set would rehash as it grows).
 *
 * Invariant: exactly the registered tasks that are not done, in creation order; `size` is the
 * length of the list.
 */
import type { Task } from "./task.js";

export class TaskList {
  private first: Task<unknown> | null = null;
  private last: Task<unknown> | null = null;
  size = 0;

  add(task: Task<unknown>): void {
    task._prevTask = this.last;
    if (this.last !== null) this.last._nextTask = task;
    else this.first = task;
    this.last = task;
    this.size++;
  }

  remove(task: Task<unknown>): void {
    const { _prevTask: prev, _nextTask: next } = task;
    if (prev !== null) prev._nextTask = next;
    else if (this.first === task) this.first = next;
    else return; // not in the list (already removed)
    if (next !== null) next._prevTask = prev;
    else this.last = prev;
    task._prevTask = task._nextTask = null;
    this.size--;
  }

  toArray(): Task<unknown>[] {
    const tasks: Task<unknown>[] = [];
    for (let task = this.first; task !== null; task = task._nextTask) tasks.push(task);
    return tasks;
  }
}
