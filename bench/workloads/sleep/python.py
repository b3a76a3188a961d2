"""sleep: N concurrent asyncio.sleep(1) gathered, written as the seeds' 10,000-sleeps demo."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from measure import measure, size_arg  # noqa: E402

N = size_arg(1_000_000)


async def sleep():
    await asyncio.sleep(1)


async def main():
    futures = [asyncio.ensure_future(sleep()) for i in range(N)]
    return len(await asyncio.gather(*futures))


measure(main)
