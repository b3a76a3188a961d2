// The functions every JavaScript implementation of the executor workload runs on its workers,
// loaded by file: asyncio-ts through moduleFunction, piscina and tinypool by filename + name,
// the floor by a plain import in its worker script. The Python side defines the same two.
import { createHash } from "node:crypto";

const MIB = 1 << 20;
/** pattern[k] = k mod 256; call i hashes the 1 MiB window starting at i mod 256. */
let pattern;

/** A tiny call: nearly all of its cost is the round trip to the worker. */
export function tiny(i) {
  return i + 1;
}

/** A CPU-bound call: SHA-256 of 1 MiB; returns the digest's first byte (the checksum). */
export function hash(i) {
  if (pattern === undefined) {
    pattern = Buffer.allocUnsafe(MIB + 256);
    for (let k = 0; k < pattern.length; k++) pattern[k] = k & 255;
  }
  const start = i & 255;
  return createHash("sha256")
    .update(pattern.subarray(start, start + MIB))
    .digest()[0];
}
