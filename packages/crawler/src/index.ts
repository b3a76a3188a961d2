/**
 * @asyncio-ts/crawler: the engine behind the `aio` command line, usable as a library.
 *
 * @example
 * ```ts
 * import { CrawlStore, Crawler } from "@asyncio-ts/crawler";
 * ```
 */
export {
  type Args,
  DEFAULT_MAX_CRAWL_DELAY,
  DEFAULT_USER_AGENT,
  type Limits,
  parseCommandLine,
  UsageError,
} from "./args.js";
export { main } from "./cli.js";
export { EXIT } from "./crawl-command.js";
export { type CrawlConfig, Crawler, type CrawlProgress, type CrawlSummary } from "./crawler.js";
export { type DemoSite, type DemoSiteOptions, startDemoSite } from "./demo-site.js";
export { exportPages } from "./export.js";
export { type ExtractedLink, extractPage, HtmlExtractor, type PageInfo } from "./extract.js";
export { FetchError, HttpFetcher } from "./fetcher.js";
export {
  capCrawlDelay,
  loadRobots,
  parseRobots,
  type RobotsRules,
} from "./robots.js";
export { CrawlStore, type Outcome, type PageRecord } from "./store.js";
export { StoreError } from "./store-open.js";
export { hostKey, normalizeUrl, type Scope, scopeFilter, siteOf } from "./url.js";
