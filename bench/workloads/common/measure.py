"""Measurement side of every Python workload script (mirror of measure.mjs).

A script reads its size with size_arg(), passes its main coroutine function to measure(), and
this module prints exactly one JSON line on stdout. Wall and CPU time cover asyncio.run(main())
alone; peak RSS is the process's high-water mark (VmHWM), read as on the JavaScript side.
BENCH_PY_LOOP=uvloop runs the same program on uvloop's event loop.
"""

import asyncio
import json
import os
import re
import sys
import time


def size_arg(fallback):
    raw = sys.argv[1] if len(sys.argv) > 1 else None
    n = fallback if raw is None else int(raw)
    if n <= 0:
        raise ValueError(f"workload size must be a positive integer, got {raw!r}")
    return n


def mode_arg(position, modes):
    """An extra mode argument after the size (position 1 is the first), checked against modes."""
    index = 1 + position
    mode = sys.argv[index] if len(sys.argv) > index else modes[0]
    if mode not in modes:
        raise ValueError(f"mode must be one of {', '.join(modes)}, got {mode!r}")
    return mode


def peak_rss_kb():
    try:
        with open("/proc/self/status") as f:
            match = re.search(r"^VmHWM:\s+(\d+)\s+kB", f.read(), re.M)
        return int(match.group(1)) if match else 0
    except OSError:
        return 0


def _install_loop():
    loop = os.environ.get("BENCH_PY_LOOP", "asyncio")
    if loop == "uvloop":
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    elif loop != "asyncio":
        raise ValueError(f"BENCH_PY_LOOP must be asyncio or uvloop, got {loop!r}")


def measure(main):
    """Run asyncio.run(main()) and print {wall_s, cpu_s, peak_rss_kb, check}."""
    _install_loop()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    check = asyncio.run(main())
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    line = {"wall_s": wall, "cpu_s": cpu, "peak_rss_kb": peak_rss_kb(), "check": check}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()
