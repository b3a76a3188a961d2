/**
 * Knowing whether a request went out on a reused keep-alive socket, so that the classic race
 * (the server closes an idle connection just as we write on it) can be retried once for
 * idempotent methods, as browsers and aiohttp do.
 *
 * undici does not tell a handler which socket it got. It does publish
 * `undici:client:sendHeaders` ({ request, socket }) synchronously right after calling the
 * handler's `onRequestStart` in the same function (client-h1 `writeH1`), so the attempt that
 * started last is the one the message is about. Each socket counts the requests it carried.
 * @module
 */
import { subscribe } from "node:diagnostics_channel";

const kUses = Symbol("asyncio-ts.http.socketUses");

interface Tracked {
  socketReused: boolean;
}

// Invariant: set by onRequestStart and consumed by the sendHeaders message of the same
// synchronous writeH1 call; a stale value (request aborted in between) is harmless because
// that attempt is already finished.
let starting: Tracked | null = null;

subscribe("undici:client:sendHeaders", (message) => {
  const attempt = starting;
  starting = null;
  if (attempt === null) return;
  const socket = (message as { socket?: Record<symbol, number> }).socket;
  if (socket === undefined) return;
  const uses = socket[kUses] ?? 0;
  socket[kUses] = uses + 1;
  attempt.socketReused = uses > 0;
});

/** Called from `onRequestStart`: the next sendHeaders message is this attempt's. */
export function noteRequestStart(attempt: Tracked): void {
  starting = attempt;
}
