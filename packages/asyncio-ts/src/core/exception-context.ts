/**
 * What an event loop's exception handler receives, and how the default handler prints it.
 */
import type { Future } from "./future.js";
import type { Handle } from "./handle.js";
import type { EventLoop } from "./loop.js";
import type { Task } from "./task.js";

/**
 * What the exception handler receives (asyncio's context dict): a message and, depending on the
 * report, the exception, the task or future, the callback handle, and for debug reports
 * `awaiting` (what a task waits for), `sourceTraceback` (where it was created) and `duration`.
 */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: Future<unknown>;
  task?: Task<unknown>;
  handle?: Handle;
  [key: string]: unknown;
}

/** A loop's exception handler (see `EventLoop.setExceptionHandler`). */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

/** The text the default exception handler prints: the message, the object, the stacks. */
export function formatExceptionContext(context: ExceptionContext): string {
  const lines = [context.message];
  if (context.task !== undefined) lines.push(`task: ${context.task}`);
  else if (context.future !== undefined) lines.push(`future: ${context.future}`);
  if (typeof context.awaiting === "string") lines.push(`awaiting: ${context.awaiting}`);
  if (typeof context.sourceTraceback === "string") {
    lines.push(`created at:\n${context.sourceTraceback}`);
  }
  const { exception } = context;
  if (exception !== undefined) {
    lines.push(
      exception instanceof Error ? (exception.stack ?? String(exception)) : String(exception),
    );
  }
  return lines.join("\n");
}
