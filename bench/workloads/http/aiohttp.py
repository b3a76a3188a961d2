"""http: N GETs with aiohttp's ClientSession, 64 at a time, written as the seeds write it
(a ClientSession, fetch() coroutines, asyncio.gather); the server is the same node process."""

import asyncio
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# This file is named aiohttp.py: drop its own folder from the path so that `import aiohttp`
# finds the library, not this script.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
import aiohttp  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "common"))
from measure import measure, size_arg  # noqa: E402

N = size_arg(20_000)
CONCURRENCY = 64

server = subprocess.Popen(
    [os.environ.get("BENCH_NODE") or shutil.which("node") or "node", os.path.join(HERE, "server.mjs")],
    stdout=subprocess.PIPE,
)
BASE = f"http://127.0.0.1:{int(server.stdout.readline())}/"


async def fetch(session, url):
    async with session.get(url) as response:
        return await response.text()


async def main():
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        counter = iter(range(N))
        total = 0

        async def worker():
            nonlocal total
            for i in counter:
                body = await fetch(session, f"{BASE}item/{i}")
                total += len(body)

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return total


try:
    measure(main)
finally:
    server.kill()
