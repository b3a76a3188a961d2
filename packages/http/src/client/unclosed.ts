/**
 * The "Unclosed ClientSession" report, as aiohttp's `ClientSession.__del__` makes it: a session
 * garbage-collected without `close()` is reported through the exception handler of the loop it
 * was created on, and its idle connections are closed.
 *
 * Invariant: what the registry holds for a session never references the session itself
 * (otherwise it could never be collected). The undici Agent does not; while a request is in
 * flight the Agent's handlers do reach the session, which then stays alive, as it should.
 * @module
 */
import { type EventLoop, getEventLoop } from "asyncio-ts";
import type { Agent } from "undici";

interface Leftover {
  loop: EventLoop;
  agent: Agent;
  /** Debug mode: where the session was created. */
  sourceTraceback: string | undefined;
}

const unclosedSessions = new FinalizationRegistry<Leftover>(({ loop, agent, sourceTraceback }) => {
  loop.callExceptionHandler({
    message: "Unclosed ClientSession: close() it, or create it with `await using`",
    ...(sourceTraceback === undefined ? {} : { sourceTraceback }),
  });
  // Nothing awaits this; a failure to close sockets of a forgotten session is not news.
  agent.destroy().catch(() => undefined);
});

/** Starts watching `session` (called by its constructor). */
export function watchUnclosed(session: object, agent: Agent): void {
  const loop = getEventLoop();
  const sourceTraceback = loop.getDebug()
    ? new Error().stack?.split("\n").slice(2).join("\n")
    : undefined;
  unclosedSessions.register(session, { loop, agent, sourceTraceback }, session);
}

/** Stops watching `session` (called by `close()`). */
export function closedNormally(session: object): void {
  unclosedSessions.unregister(session);
}
