"""queue: N items through asyncio.Queue(maxsize=100), 4 producer and 4 consumer tasks."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from measure import measure, size_arg  # noqa: E402

N = size_arg(1_000_000)
MAXSIZE = 100
PRODUCERS = 4
CONSUMERS = 4
STOP = -1


async def producer(queue, p):
    for item in range(p, N, PRODUCERS):
        await queue.put(item)


async def consumer(queue):
    total = 0
    while True:
        item = await queue.get()
        if item == STOP:
            return total
        total += item


async def main():
    queue = asyncio.Queue(maxsize=MAXSIZE)
    consumers = [asyncio.create_task(consumer(queue)) for _ in range(CONSUMERS)]
    producers = [asyncio.create_task(producer(queue, p)) for p in range(PRODUCERS)]
    await asyncio.gather(*producers)
    for _ in range(CONSUMERS):
        await queue.put(STOP)
    return sum(await asyncio.gather(*consumers))


measure(main)
