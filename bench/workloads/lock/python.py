"""lock: 100 tasks contend for one asyncio.Lock, N acquire/release in total (seeds' style)."""

import asyncio
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from measure import measure, size_arg  # noqa: E402

N = size_arg(100_000)
TASKS = 100
ROUNDS = math.ceil(N / TASKS)


async def worker(lock):
    held = 0
    for _ in range(ROUNDS):
        async with lock:
            await asyncio.sleep(0)
            held += 1
    return held


async def main():
    lock = asyncio.Lock()
    return sum(await asyncio.gather(*(worker(lock) for _ in range(TASKS))))


measure(main)
