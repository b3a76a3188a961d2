/**
 * Read-only response headers with case-insensitive lookup (aiohttp's `CIMultiDictProxy`).
 * Built on the record undici parses (lower-case names, repeated headers as arrays), so
 * constructing one costs nothing until a header is asked for.
 * @module
 */

/** The raw form undici hands over: lower-case names, repeated headers as arrays. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The headers of a {@link ClientResponse}. `get` joins repeated headers with `", "` (except
 * `set-cookie`, whose first value it returns; use `getAll`), as the Fetch `Headers` does.
 * @example
 * ```ts
 * import { ClientSession } from "@asyncio-ts/http";
 * await using session = new ClientSession();
 * const res = await session.get("https://example.com/");
 * console.log(res.headers.get("Content-Type"), res.headers.getAll("set-cookie"));
 * for (const [name, value] of res.headers) console.log(name, value);
 * ```
 */
export class ResponseHeaders implements Iterable<[string, string]> {
  readonly #raw: RawHeaders;
  constructor(raw: RawHeaders) {
    this.#raw = raw;
  }

  /**
   * The value of header `name` (any case), or null when absent. A repeated header's values are
   * joined with `", "` (Fetch's rule, where aiohttp's `get` returns the first), except for
   * `set-cookie`, whose first value is returned: use {@link ResponseHeaders.getAll} for each.
   */
  get(name: string): string | null {
    const v = this.#raw[name.toLowerCase()];
    if (v === undefined) return null;
    if (typeof v === "string") return v;
    return name.toLowerCase() === "set-cookie" ? (v[0] ?? null) : v.join(", ");
  }

  /** Every value of header `name` (any case), in order received; empty when absent. */
  getAll(name: string): string[] {
    const v = this.#raw[name.toLowerCase()];
    if (v === undefined) return [];
    return typeof v === "string" ? [v] : [...v];
  }

  /** Whether header `name` (any case) is present. */
  has(name: string): boolean {
    return this.#raw[name.toLowerCase()] !== undefined;
  }

  /** `[name, value]` pairs, lower-case names, one pair per value. */
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [name, v] of Object.entries(this.#raw)) {
      if (v === undefined) continue;
      if (typeof v === "string") yield [name, v];
      else for (const one of v) yield [name, one];
    }
  }

  /** The header record (lower-case names, arrays for repeated headers). */
  toJSON(): RawHeaders {
    return this.#raw;
  }

  /** @internal The record undici parsed. */
  get raw(): RawHeaders {
    return this.#raw;
  }

  toString(): string {
    return `ResponseHeaders(${Object.keys(this.#raw).length} names)`;
  }
}
