/**
 * robots.txt rules per origin (RFC 9309), parsed by robots-parser.
 *
 * Fetch outcomes follow RFC 9309 section 2.3.1: 2xx -> the file's rules; 4xx -> no
 * restrictions; 5xx or unreachable -> complete disallow (the site may be overloaded).
 * Redirects are followed up to five hops.
 */
import robotsParserModule from "robots-parser";
import { FetchError, type FetchedPage } from "./fetcher.js";

type Robot = {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
};
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robot;

/** Largest robots.txt read (RFC 9309 asks crawlers to parse at least 500 KiB). */
export const ROBOTS_MAX_BYTES = 512 * 1024;

/** The rules of one origin. */
export interface RobotsRules {
  /** Whether `url` (same origin) may be fetched by `userAgent`. */
  allowed(url: string): boolean;
  /** `Crawl-delay` for the user agent, in seconds (0 when none). */
  crawlDelay: number;
  /** How the rules were obtained, for the summary: "fetched", "none (404)", "unreachable (...)". */
  source: string;
  /**
   * Set when robots.txt could not be fetched at all (network error, timeout): the host is
   * unreachable, so its pages are recorded as failed with this reason rather than "blocked".
   */
  failure?: string;
  /**
   * The error stored with a disallowed page when the reason is not a rule of the file (a 5xx
   * robots.txt, a Crawl-delay over the cap); "disallowed by robots.txt" otherwise.
   */
  blocked?: string;
}

/** No restrictions (robots.txt missing, or `--no-robots`). */
export const ALLOW_ALL: RobotsRules = { allowed: () => true, crawlDelay: 0, source: "none" };

/**
 * Parses a robots.txt body for `userAgent`: groups are matched on its first token (`aio` for
 * `aio/0.1 (+...)`), as RFC 9309 asks.
 *
 * @example
 * ```ts
 * import { parseRobots } from "@asyncio-ts/crawler";
 *
 * const text = "User-agent: aio\nDisallow: /private/\nCrawl-delay: 0.5\n";
 * const rules = parseRobots("https://example.com/robots.txt", text, "aio/0.1 (+https://x)");
 * console.log(rules.allowed("https://example.com/private/a"), rules.crawlDelay); // false 0.5
 * ```
 */
export function parseRobots(robotsUrl: string, text: string, userAgent: string): RobotsRules {
  const robot = robotsParser(robotsUrl, text);
  const token = userAgent.split(/[/\s]/)[0] ?? userAgent;
  const delay = robot.getCrawlDelay(token);
  return {
    // robots-parser answers undefined for another origin's URL; the caller never asks that.
    allowed: (url) => robot.isAllowed(url, token) !== false,
    crawlDelay: typeof delay === "number" && Number.isFinite(delay) && delay > 0 ? delay : 0,
    source: "fetched",
  };
}

/**
 * Applies the `--max-crawl-delay` cap: rules asking for a longer `Crawl-delay` than `maxDelay`
 * seconds become "disallow everything", with the reason in `source` and `blocked`; other rules
 * are returned as they are.
 *
 * Why skip the host rather than clamp its delay to the cap (as spider-rs does at 60 s): the
 * delay is the site's explicit request, and crawling at the cap would send requests faster
 * than it asked for. Skipping, as Nutch and StormCrawler do by default, never does; it costs
 * only the robots.txt request, and the crawl's other hosts go on (the crawl no longer waits
 * a day for a `Crawl-delay: 86400` host to finish). The pages are stored as `blocked`.
 *
 * @example
 * ```ts
 * import { capCrawlDelay, parseRobots } from "@asyncio-ts/crawler";
 *
 * const text = "User-agent: *\nCrawl-delay: 3600\n";
 * const rules = parseRobots("https://example.com/robots.txt", text, "aio/0.1");
 * const capped = capCrawlDelay(rules, 30);
 * console.log(capped.allowed("https://example.com/"), capped.source);
 * // false "fetched, but its Crawl-delay 3600 s exceeds the 30 s cap (--max-crawl-delay): host skipped"
 * ```
 */
export function capCrawlDelay(rules: RobotsRules, maxDelay: number): RobotsRules {
  if (rules.crawlDelay <= maxDelay) return rules;
  const why = `Crawl-delay ${rules.crawlDelay} s exceeds the ${maxDelay} s cap (--max-crawl-delay)`;
  return {
    allowed: () => false,
    // Nothing more is requested from the host: no pacing, so its pages are stored at once.
    crawlDelay: 0,
    source: `${rules.source}, but its ${why}: host skipped`,
    blocked: `disallowed: robots.txt ${why}, so the host is skipped`,
  };
}

/** Fetches one URL for robots handling; supplied by the crawl (it owns pacing and the pool). */
export type RobotsFetch = (url: string) => Promise<FetchedPage>;

/**
 * Loads the rules of `origin` with `fetch`, following up to five redirects.
 *
 * @example
 * ```ts
 * import { HttpFetcher, loadRobots } from "@asyncio-ts/crawler";
 *
 * const fetcher = new HttpFetcher({ timeout: 10, maxSize: 500_000, userAgent: "aio/0.1" }, 1, 1);
 * const rules = await loadRobots("https://example.com", "aio/0.1", (u) => fetcher.get(u, true));
 * console.log(rules.allowed("https://example.com/private/x"));
 * await fetcher.close();
 * ```
 */
export async function loadRobots(
  origin: string,
  userAgent: string,
  fetch: RobotsFetch,
): Promise<RobotsRules> {
  let url = `${origin}/robots.txt`;
  for (let hop = 0; hop <= 5; hop++) {
    let res: FetchedPage;
    try {
      res = await fetch(url);
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      return {
        ...disallowAll(`unreachable (${err.message})`),
        failure: `robots.txt unreachable: ${err.message}`,
      };
    }
    if (res.status >= 300 && res.status < 400 && res.location) {
      url = res.location;
      continue;
    }
    if (res.status >= 200 && res.status < 300) {
      return parseRobots(`${origin}/robots.txt`, res.text ?? "", userAgent);
    }
    if (res.status >= 400 && res.status < 500)
      return { ...ALLOW_ALL, source: `none (${res.status})` };
    return disallowAll(`unreachable (HTTP ${res.status})`);
  }
  return { ...ALLOW_ALL, source: "none (too many redirects)" };
}

/** A 5xx or unreachable robots.txt: everything is disallowed (RFC 9309), which is no rule. */
function disallowAll(source: string): RobotsRules {
  return {
    allowed: () => false,
    crawlDelay: 0,
    source,
    blocked: `disallowed: robots.txt ${source}, so everything is (RFC 9309)`,
  };
}
