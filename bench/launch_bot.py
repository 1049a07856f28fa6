"""``python -m bench.launch_bot``: the real bot, exactly as ``python -m bot`` runs it, plus a loop monitor.

It reads the same environment variables, sets up logging the same way and awaits the same
``bot.__main__.run(settings)``; the only addition is :mod:`bench.monitor` on the same event loop
(``SIGUSR1`` writes the current window of loop-lag figures to ``BENCH_MONITOR_FILE``; ``SIGTERM``
stops the bot cleanly and writes the last window). The bot's own code is untouched.

With ``BENCH_PROFILE=/path/out.prof`` the whole run is profiled with cProfile (the event loop's
thread only; Pillow work in worker threads is not seen).
"""

from __future__ import annotations

import asyncio
import os
import sys

from bench.monitor import install
from bot.__main__ import load_settings, run
from bot.logs import setup_logging


async def _serve(settings) -> int:
    monitor = install()
    try:
        return await run(settings)
    except asyncio.CancelledError:
        return 0
    finally:
        monitor.stop()
        monitor.dump()


def main() -> int:
    """Entry point."""
    settings = load_settings()
    if settings is None:
        return 2
    setup_logging(settings.log_level, secrets=settings.secrets)
    profile = os.environ.get("BENCH_PROFILE")
    if not profile:
        return asyncio.run(_serve(settings))
    import cProfile

    profiler = cProfile.Profile()
    try:
        return profiler.runcall(asyncio.run, _serve(settings))
    finally:
        profiler.dump_stats(profile)


if __name__ == "__main__":
    sys.exit(main())
