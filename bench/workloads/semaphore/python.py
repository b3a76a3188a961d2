"""semaphore: N coroutines through asyncio.Semaphore(16), written as the seeds' example."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from measure import measure, size_arg  # noqa: E402

N = size_arg(100_000)
LIMIT = 16


async def limited_task(sem, i):
    async with sem:
        await asyncio.sleep(0)
        return i


async def main():
    sem = asyncio.Semaphore(LIMIT)
    tasks = [limited_task(sem, i) for i in range(N)]
    return sum(await asyncio.gather(*tasks))


measure(main)
