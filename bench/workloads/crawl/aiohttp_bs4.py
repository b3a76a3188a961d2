"""crawl with aiohttp + BeautifulSoup, written the way seed 003 writes it: an aiohttp
ClientSession fetches, `loop.run_in_executor(None, bs, html, 'html.parser')` parses, and 64
worker coroutines share an asyncio.Queue and a `seen` set. Checksum: pages fetched with 200."""

import asyncio
import os
import shutil
import subprocess
import sys
from urllib.parse import urljoin, urldefrag

import aiohttp
from bs4 import BeautifulSoup as bs

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from measure import measure, size_arg  # noqa: E402

N = size_arg(10_000)
CONCURRENCY = 64

server = subprocess.Popen(
    [os.environ.get("BENCH_NODE") or shutil.which("node") or "node", os.path.join(HERE, "site.mjs"), str(N)],
    stdout=subprocess.PIPE,
)
BASE = f"http://127.0.0.1:{int(server.stdout.readline())}/"


async def get_html(session, url):
    async with session.get(url) as response:
        return response.status, await response.text()


async def main():
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()
    seen = {BASE}
    queue.put_nowait(BASE)
    ok = 0

    async def worker(session):
        nonlocal ok
        while True:
            url = await queue.get()
            try:
                status, html = await get_html(session, url)
                if status != 200:
                    continue
                ok += 1
                html_code = await loop.run_in_executor(None, bs, html, "html.parser")
                for a in html_code.find_all("a", href=True):
                    link = urldefrag(urljoin(url, a["href"]))[0]
                    if link.startswith(BASE) and link not in seen:
                        seen.add(link)
                        queue.put_nowait(link)
            finally:
                queue.task_done()

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        workers = [asyncio.ensure_future(worker(session)) for _ in range(CONCURRENCY)]
        await queue.join()
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return ok


try:
    measure(main)
finally:
    server.kill()
