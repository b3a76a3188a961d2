"""spawn: create N trivial tasks with create_task, then gather them (as the seeds do)."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from measure import measure, size_arg  # noqa: E402

N = size_arg(100_000)


async def work(i):
    return i


async def main():
    tasks = [asyncio.create_task(work(i)) for i in range(N)]
    return sum(await asyncio.gather(*tasks))


measure(main)
