/**
 * A native promise whose resolve and reject functions are handed over without allocating a
 * closure for the executor: `new Promise(executor)` calls the executor synchronously, so a
 * module-level executor can park the two functions in module variables, and the caller picks
 * them up right after. The hottest waits (sleep, a contended Lock or Semaphore) make one of
 * these per await, so the closure saved matters.
 */

/**
 * One promise fulfilled with undefined, shared: what a fast path that has nothing to wait for
 * returns, and the first hop of what the kernel runs in a microtask (`RESOLVED_VOID.then(fn)`).
 */
export const RESOLVED_VOID: Promise<void> = Promise.resolve();

/** The resolve function of the promise made by the latest `barePromise()` call. */
export let capturedResolve: (value: any) => void = () => {};
/** The reject function of the promise made by the latest `barePromise()` call. */
export let capturedReject: (reason: unknown) => void = () => {};

function capture(resolve: (value: any) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * A new pending promise. Invariant: until the next call, `capturedResolve` and `capturedReject`
 * settle it; read them immediately (before anything else can call `barePromise`).
 */
export function barePromise<T>(): Promise<T> {
  return new Promise<T>(capture);
}
