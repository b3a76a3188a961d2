/**
 * URL normalisation and crawl scope.
 *
 * Two URLs that name the same resource must normalise to the same string, because the
 * normalised string is the primary key of the frontier and of the `pages` table: that key is
 * what makes "every page exactly once" hold across restarts.
 */

/** The crawl scopes accepted by `--scope`. */
export const SCOPES = ["same-origin", "same-site", "any"] as const;

/** Which links a crawl follows, relative to its start URLs. */
export type Scope = (typeof SCOPES)[number];

/**
 * Normalises an absolute or relative URL for crawling, or returns `undefined` when it is not
 * an http(s) URL (mailto:, javascript:, data:, ftp:, unparsable input).
 *
 * Rules: resolved against `base`; scheme and host lower-cased (the WHATWG URL parser does
 * this); default ports (80 for http, 443 for https) dropped; fragment dropped; an empty path
 * becomes `/`; dot segments resolved; user info dropped (credentials never go into the store);
 * in the path, percent-encoded unreserved characters decoded (`%7E` is `~`) and the hex digits
 * of the other escapes upper-cased (`%c3` is `%C3`), as RFC 3986 section 6.2.2 says. The query
 * string is kept as written: reordering parameters can change what a server returns.
 *
 * @example
 * ```ts
 * import { normalizeUrl } from "@asyncio-ts/crawler";
 *
 * normalizeUrl("HTTP://Example.COM:80/a/../b#top"); // "http://example.com/b"
 * normalizeUrl("http://example.com/%7euser/caf%c3%a9"); // "http://example.com/~user/caf%C3%A9"
 * normalizeUrl("page?id=2", "https://example.com/dir/"); // "https://example.com/dir/page?id=2"
 * normalizeUrl("mailto:someone@example.com"); // undefined
 * ```
 */
export function normalizeUrl(input: string, base?: string | URL): string | undefined {
  const trimmed = input.trim();
  if (trimmed === "") return undefined;
  let url: URL;
  try {
    url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.hostname === "") return undefined;
  url.hash = "";
  url.username = "";
  url.password = "";
  // The URL parser already drops a port equal to the scheme's default; this keeps the
  // rule explicit should a caller build URLs another way.
  if (
    (url.protocol === "http:" && url.port === "80") ||
    (url.protocol === "https:" && url.port === "443")
  ) {
    url.port = "";
  }
  // "/%7Euser", "/%7euser" and "/~user" are one resource (RFC 3986 section 6.2.2), so they
  // must be one key. Only unreserved characters are decoded: "%2F" is not "/", nor "%3F" "?".
  if (url.pathname.includes("%")) {
    url.pathname = url.pathname.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
      const char = String.fromCharCode(Number.parseInt(hex, 16));
      return /^[A-Za-z0-9\-._~]$/.test(char) ? char : `%${hex.toUpperCase()}`;
    });
  }
  // A trailing dot names the same DNS host ("example.com." === "example.com").
  if (url.hostname.endsWith(".") && url.hostname.length > 1) {
    url.hostname = url.hostname.slice(0, -1);
  }
  return url.href;
}

/**
 * The key under which politeness is enforced and robots.txt is looked up: the origin
 * (`scheme://host[:port]`) of a normalised URL. Two servers on different ports of one machine
 * are scheduled separately, as robots.txt (per origin, RFC 9309) treats them.
 *
 * @example
 * ```ts
 * import { hostKey } from "@asyncio-ts/crawler";
 *
 * hostKey("http://127.0.0.1:8080/a"); // "http://127.0.0.1:8080"
 * ```
 */
export function hostKey(url: string): string {
  return new URL(url).origin;
}

/**
 * Second-level labels under which country-code registries sell names (`example.co.uk`). Without
 * the full Public Suffix List this is a heuristic; it only matters for `--scope same-site`.
 */
const SECOND_LEVEL = new Set(["co", "com", "net", "org", "ac", "gov", "edu", "or", "ne", "go"]);

/**
 * The registrable domain ("site") of a hostname: the last two labels, or three under common
 * country-code second levels (`example.co.uk`). IP addresses and single-label hosts are their
 * own site.
 *
 * @example
 * ```ts
 * import { siteOf } from "@asyncio-ts/crawler";
 *
 * siteOf("www.example.com"); // "example.com"
 * siteOf("shop.example.co.uk"); // "example.co.uk"
 * siteOf("127.0.0.1"); // "127.0.0.1"
 * ```
 */
export function siteOf(hostname: string): string {
  const host = hostname.toLowerCase();
  if (/^[0-9.]+$/.test(host) || host.startsWith("[")) return host;
  const labels = host.split(".");
  if (labels.length <= 2) return host;
  const tld = labels[labels.length - 1]!;
  const second = labels[labels.length - 2]!;
  const keep = tld.length === 2 && SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-keep).join(".");
}

/**
 * Decides whether a normalised URL is inside the crawl, given the normalised start URLs.
 * A URL is in scope when it matches ANY start URL under the scope rule.
 *
 * @example
 * ```ts
 * import { scopeFilter } from "@asyncio-ts/crawler";
 *
 * const inScope = scopeFilter("same-site", ["https://www.example.com/"]);
 * inScope("https://blog.example.com/post"); // true
 * inScope("https://other.org/"); // false
 * ```
 */
export function scopeFilter(scope: Scope, startUrls: readonly string[]): (url: string) => boolean {
  if (scope === "any") return () => true;
  const starts = startUrls.map((u) => new URL(u));
  if (scope === "same-origin") {
    const origins = new Set(starts.map((u) => u.origin));
    return (url) => origins.has(new URL(url).origin);
  }
  // same-site: the scheme may differ (http -> https upgrades stay in), the site may not.
  const sites = new Set(starts.map((u) => siteOf(u.hostname)));
  return (url) => sites.has(siteOf(new URL(url).hostname));
}
