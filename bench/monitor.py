"""An event-loop stall monitor for the benchmark's bot processes (the real bot and the floor).

A task sleeps :data:`TICK` seconds in a loop and records by how much each wake-up came late: a
callback that holds the loop for 80 ms shows as a lag of about 80 ms. The figures are kept per
*window*: ``SIGUSR1`` writes the current window to the file named by ``BENCH_MONITOR_FILE`` and
starts a new one, so the benchmark can ask "the largest stall during this scenario"; the process's
own peak memory (``VmHWM``) and CPU time go in the same file. The file is replaced atomically and
carries an increasing ``seq`` so the reader knows it is fresh.

With ``BENCH_STALL_STACKS=1`` a watchdog thread also records where the loop's thread was (the
innermost frames) whenever the loop has not ticked for :data:`STACK_AFTER` seconds, so a stall can
be traced to a file and line. It wakes every 5 ms and takes the GIL to do so, so it is off unless
asked for.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import resource
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

TICK = 0.010
"""Seconds the monitor sleeps between two looks at the clock."""
STALL = 0.050
"""A lag at least this long counts as a stall (the benchmark's goal is none)."""
STACK_AFTER = 0.040
"""With stall stacks on, a loop silent this long has its thread's stack sampled."""


def _proc_status() -> dict[str, int]:
    """VmRSS and VmHWM of this process in KiB (Linux), else empty."""
    out: dict[str, int] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(rest.split()[0])
    except OSError:
        pass
    return out


class LoopMonitor:
    """Measures event-loop lag in windows and writes them to a file on request."""

    def __init__(self, path: str | None, *, stacks: bool = False) -> None:
        self.path = Path(path) if path else None
        self.stacks = stacks
        self.seq = 0
        self._task: asyncio.Task[None] | None = None
        self._last_tick = time.monotonic()
        self._loop_thread = threading.get_ident()
        self._stop = threading.Event()
        self._stack_counts: collections.Counter[str] = collections.Counter()
        self._new_window()

    def _new_window(self) -> None:
        self.window_started = time.monotonic()
        self.ticks = 0
        self.max_lag = 0.0
        self.max_lag_at = 0.0
        self.max_lag_cpu = 0.0
        self.stalls = 0
        self.lag_sum = 0.0
        self.top: list[tuple[float, float]] = []
        self._stack_counts = collections.Counter()

    def start(self) -> None:
        """Start the monitor task in the running loop (and the watchdog thread when asked)."""
        self._loop_thread = threading.get_ident()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="bench-loop-monitor")
        if self.stacks:
            threading.Thread(target=self._watchdog, name="bench-stall-watchdog", daemon=True).start()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        thread_time = time.thread_time
        while True:
            before, cpu_before = loop.time(), thread_time()
            await asyncio.sleep(TICK)
            now = loop.time()
            # CPU time of the loop's thread over the tick: close to the lag when the loop itself
            # was busy; far below it when the thread waited (for the GIL, or for a CPU).
            cpu = thread_time() - cpu_before
            self._last_tick = time.monotonic()
            lag = max(0.0, now - before - TICK)
            self.ticks += 1
            self.lag_sum += lag
            if lag > self.max_lag:
                self.max_lag, self.max_lag_at, self.max_lag_cpu = lag, self._last_tick, cpu
            if lag >= STALL:
                self.stalls += 1
                self.top.append((lag, cpu))
                self.top.sort(reverse=True)
                del self.top[10:]

    def _watchdog(self) -> None:
        frames = sys._current_frames
        sampled_for = 0.0
        while not self._stop.wait(0.005):
            silent_since = self._last_tick
            if time.monotonic() - silent_since < STACK_AFTER or sampled_for == silent_since:
                continue
            sampled_for = silent_since  # one sample per stall
            frame = frames().get(self._loop_thread)
            if frame is None:
                continue
            summary = traceback.extract_stack(frame, limit=12)
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(summary[-6:]))
            self._stack_counts[where] += 1

    def snapshot(self) -> dict[str, Any]:
        """The current window's figures, with this process's memory and CPU time."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "seq": self.seq,
            "pid": os.getpid(),
            "window_s": time.monotonic() - self.window_started,
            "ticks": self.ticks,
            "max_lag_ms": self.max_lag * 1000,
            "max_lag_at": self.max_lag_at,
            "max_lag_loop_cpu_ms": self.max_lag_cpu * 1000,
            "mean_lag_ms": (self.lag_sum / self.ticks * 1000) if self.ticks else 0.0,
            "stalls_over_50ms": self.stalls,
            "top_lags_ms": [round(lag * 1000, 1) for lag, _ in self.top],
            "top_lags_loop_cpu_ms": [round(cpu * 1000, 1) for _, cpu in self.top],
            "stall_stacks": self._stack_counts.most_common(8),
            "cpu_s": usage.ru_utime + usage.ru_stime,
            **_proc_status(),
        }

    def dump(self) -> dict[str, Any]:
        """Write the current window to the file (if any), start a new window, return the old one."""
        self.seq += 1
        data = self.snapshot()
        self._new_window()
        if self.path is not None:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.path)
        return data

    def stop(self) -> None:
        """Stop the task and the watchdog."""
        self._stop.set()
        if self._task is not None:
            self._task.cancel()


def install(main_task: asyncio.Task[Any] | None = None) -> LoopMonitor:
    """Start a monitor from the environment; SIGUSR1 dumps a window, SIGTERM cancels ``main_task``."""
    monitor = LoopMonitor(os.environ.get("BENCH_MONITOR_FILE"),
                          stacks=os.environ.get("BENCH_STALL_STACKS") == "1")
    monitor.start()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, monitor.dump)
    task = main_task or asyncio.current_task()
    if task is not None:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    return monitor
