"""``python -m bench.launch_bot``: the real bot, exactly as ``python -m bot`` runs it, plus a loop monitor.

It reads the same environment variables, sets up logging the same way and awaits the same
``bot.__main__.run(settings)`` on the same event loop (``bot.__main__.run_loop``: uvloop's where
it is installed); the only addition is :mod:`bench.monitor` on that loop
(``SIGUSR1`` writes the current window of loop-lag figures to ``BENCH_MONITOR_FILE``; ``SIGTERM``
stops the bot cleanly and writes the last window). The bot's own code is untouched.

With ``BENCH_PROFILE=/path/out.prof`` the whole run is profiled with cProfile (the event loop's
thread only; Pillow work in worker threads is not seen). With ``BENCH_TRACEMALLOC=/path/out.txt``
Python allocations are traced and the largest sources at the moment of the highest traced total
are written there at exit (memory that Pillow allocates for decoded pixels is not traced).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tracemalloc
from pathlib import Path

from bench.monitor import install
from bot.__main__ import load_settings, run, run_loop
from bot.logs import setup_logging


async def _trace_peak(path: Path) -> None:
    """Keep a snapshot of the traced allocations at their highest; write its top sources at the end."""
    tracemalloc.start(12)
    best, snapshot = 0, None
    try:
        while True:
            await asyncio.sleep(0.05)
            current, _ = tracemalloc.get_traced_memory()
            if current > best + 4 * 1024 * 1024:
                best, snapshot = current, tracemalloc.take_snapshot()
    finally:
        if snapshot is not None:
            lines = [f"highest traced total seen: {best / 1e6:.1f} MB (tracemalloc peak "
                     f"{tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB)"]
            for stat in snapshot.statistics("traceback")[:15]:
                lines.append(f"\n{stat.size / 1e6:8.1f} MB in {stat.count} blocks")
                lines += [f"    {frame.filename}:{frame.lineno}" for frame in stat.traceback[-8:]]
            path.write_text("\n".join(lines) + "\n")  # noqa: ASYNC240 - once, at exit
        tracemalloc.stop()


async def _serve(settings) -> int:
    monitor = install()
    trace = os.environ.get("BENCH_TRACEMALLOC")
    tracer = asyncio.create_task(_trace_peak(Path(trace))) if trace else None
    try:
        return await run(settings)
    except asyncio.CancelledError:
        return 0
    finally:
        monitor.stop()
        monitor.dump()
        if tracer is not None:
            tracer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tracer


def main() -> int:
    """Entry point."""
    settings = load_settings()
    if settings is None:
        return 2
    setup_logging(settings.log_level, secrets=settings.secrets, fmt=settings.log_format)
    profile = os.environ.get("BENCH_PROFILE")
    if not profile:
        return run_loop(_serve(settings))
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(run_loop, _serve(settings))
    finally:
        profiler.dump_stats(profile)


if __name__ == "__main__":
    sys.exit(main())
