"""timeout: N 10 s timeout scopes around a trivial coroutine, none of which fires.

Shape "concurrent" (default): N tasks gathered, each entering one scope; shape "sequential":
one task entering N scopes in a row. API "timeout" (default) is `async with asyncio.timeout(10)`,
API "wait_for" is `asyncio.wait_for(coro, timeout=10)`, as the seeds write them.
"""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from measure import measure, mode_arg, size_arg  # noqa: E402

N = size_arg(100_000)
SHAPE = mode_arg(1, ["concurrent", "sequential"])
API = mode_arg(2, ["timeout", "wait_for"])


async def fast_operation(i):
    return i


async def with_timeout(i):
    async with asyncio.timeout(10):
        return await fast_operation(i)


async def with_wait_for(i):
    return await asyncio.wait_for(fast_operation(i), timeout=10)


scoped = with_timeout if API == "timeout" else with_wait_for


async def concurrent():
    tasks = [asyncio.create_task(scoped(i)) for i in range(N)]
    return sum(await asyncio.gather(*tasks))


async def sequential():
    total = 0
    for i in range(N):
        total += await scoped(i)
    return total


measure(concurrent if SHAPE == "concurrent" else sequential)
