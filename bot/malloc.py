"""glibc's allocator, told to give large buffers back to the system as soon as they are freed.

A 4K result passes through buffers of 20–30 MB (the answer's body, the PNG, the decoded pixels,
the re-encoded file). glibc serves blocks of 128 KB and more with ``mmap`` and returns them on
``free``, but after the first such block is freed it raises that threshold to the block's size (up
to 32 MB), so later 20–30 MB buffers come from the heap of whichever thread asked, and stay there
once freed: measured with 20 4K results, the bot kept ~60 MB more after one result and its peak was
~80 MB higher. Fixing the threshold at 1 MiB (``mallopt(M_MMAP_THRESHOLD)``, which also turns the
raising off) keeps them mmapped, for a page fault per 4 KB on first touch (a few ms per 4K image).
Elsewhere than glibc (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter number (``malloc.h``)."""
MMAP_THRESHOLD = 1024 * 1024
"""Blocks from this size on are mmapped, and unmapped when freed."""


def keep_large_blocks_mapped() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD`; ``False`` where there is no glibc.

    Left alone when ``MALLOC_MMAP_THRESHOLD_`` is set: the operator's choice wins.
    """
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    if not mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD):
        log.info("mallopt(M_MMAP_THRESHOLD) refused; large buffers may stay in the heap")
        return False
    return True
