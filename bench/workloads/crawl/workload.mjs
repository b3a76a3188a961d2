import { npmAnchor, pythonAnchor, subject } from "../../lib/impls.mjs";

/** crawl: a local N-page site (its own process), 64 requests in flight, parse and follow links. */
export default {
  name: "crawl",
  dir: "crawl",
  description:
    "crawl an N-page local site (bare TCP server in its own process, ~1 KiB pages, 6 links each), 64 in flight, parse HTML and follow every link once",
  n: 10_000,
  expect: (n) => n,
  impls: [
    subject("asyncio-ts.mjs", ["run", "KeyedRateLimiter"], {
      label: "asyncio-ts (aio crawler engine, SQLite store)",
    }),
    npmAnchor("crawlee", "crawlee.mjs", {
      label: "crawlee CheerioCrawler",
      packages: ["@crawlee/cheerio"],
    }),
    pythonAnchor("scrapy", "scrapy_crawl.py", { label: "Scrapy", runtime: "pythonSystem" }),
    pythonAnchor("aiohttp-bs4", "aiohttp_bs4.py", {
      label: "aiohttp + BeautifulSoup (seed 003 style)",
      runtime: "pythonSystem",
    }),
  ],
  targets: [
    { vs: "crawlee", kind: "faster", factor: 2 },
    { vs: "scrapy", kind: "faster", factor: 3 },
    { vs: "aiohttp-bs4", kind: "faster", factor: 1 },
  ],
};
