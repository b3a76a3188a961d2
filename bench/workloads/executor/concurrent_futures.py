"""executor: N calls of `tiny` or `hash` through loop.run_in_executor on a concurrent.futures
pool of W workers (threads or processes), gathered, written as the seeds write it. As in every
implementation of this workload, the pool is started and warmed up before the clock starts."""

import asyncio
import hashlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from measure import measure, mode_arg, size_arg  # noqa: E402

MIB = 1 << 20
PATTERN = bytes(range(256)) * (MIB // 256 + 1)  # pattern[k] = k mod 256, 1 MiB + 256 bytes


def tiny(i):
    return i + 1


def hash_mib(i):
    start = i & 255
    return hashlib.sha256(memoryview(PATTERN)[start : start + MIB]).digest()[0]


N = size_arg(20_000)
MODE = mode_arg(1, ["tiny", "hash"])
WORKERS = int(mode_arg(2, ["2", "1"]))
KIND = mode_arg(3, ["thread", "process"])


FN = tiny if MODE == "tiny" else hash_mib


async def main(executor):
    loop = asyncio.get_running_loop()
    futures = [loop.run_in_executor(executor, FN, i) for i in range(N)]
    return sum(await asyncio.gather(*futures))


if __name__ == "__main__":
    pool_class = ThreadPoolExecutor if KIND == "thread" else ProcessPoolExecutor
    with pool_class(max_workers=WORKERS) as pool:
        list(pool.map(hash_mib, range(WORKERS)))  # start and warm every worker
        measure(lambda: main(pool))
