"""crawl with Scrapy: one Spider following every link of the site (Scrapy's own scheduler and
duplicate filter), 64 requests in flight, robots.txt obeyed like the other crawlers, logging
off. Scrapy runs its own Twisted reactor, so this script times it itself and prints the same
JSON line as measure(). Checksum: distinct pages parsed with 200 (the start URL is fetched
twice: Scrapy never filters start requests)."""

import json
import os
import shutil
import subprocess
import sys
import time

import scrapy
from scrapy.crawler import CrawlerProcess

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from measure import peak_rss_kb, size_arg  # noqa: E402

N = size_arg(10_000)
CONCURRENCY = 64

server = subprocess.Popen(
    [os.environ.get("BENCH_NODE") or shutil.which("node") or "node", os.path.join(HERE, "site.mjs"), str(N)],
    stdout=subprocess.PIPE,
)
BASE = f"http://127.0.0.1:{int(server.stdout.readline())}/"
pages = set()


class SiteSpider(scrapy.Spider):
    name = "site"
    start_urls = [BASE]

    def parse(self, response):
        pages.add(response.url)
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)


try:
    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": CONCURRENCY,
            "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": True,
            "LOG_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        }
    )
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    process.crawl(SiteSpider)
    process.start()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    line = {"wall_s": wall, "cpu_s": cpu, "peak_rss_kb": peak_rss_kb(), "check": len(pages)}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()
finally:
    server.kill()
