"""The allocator setting for large image buffers (bot.malloc)."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from bot import malloc


def test_an_operators_own_threshold_is_left_alone(monkeypatch) -> None:
    """With MALLOC_MMAP_THRESHOLD_ set, the bot does not override it."""
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    assert malloc.keep_large_blocks_mapped() is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_a_freed_large_buffer_goes_back_to_the_system() -> None:
    """After the setting, freeing a second 20 MB buffer lowers the resident size again (glibc's own
    rule would have kept it in the heap once the first one was freed)."""
    script = """
import sys
from bot import malloc
def rss():
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1])
if sys.argv[1] == 'tuned':
    assert malloc.keep_large_blocks_mapped()
first = bytearray(20 << 20); del first     # glibc now raises its threshold to 20 MB
before = rss()
second = bytearray(20 << 20); del second
print(rss() - before)
"""
    env = {"PYTHONPATH": str(Path(malloc.__file__).parents[1])}
    kept = {mode: int(subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True,
                                     check=True, env=env, timeout=30).stdout)
            for mode in ("tuned", "untuned")}
    assert kept["tuned"] < 4 * 1024, kept
    assert kept["untuned"] > 15 * 1024, f"glibc's own rule no longer keeps it; the setting may be moot: {kept}"
