"""A job's progress message: its phase, queue place and previews, edited no more often than Discord allows.

The first edit waits ``FIRST_EDIT_AFTER`` (until then Discord's "thinking…" says enough, and most
jobs under a burst are over by then); later ones come at most every ``PROGRESS_INTERVAL``.
:class:`bot.jobs.delivery.Delivery` makes one per job (``Delivery.progress``) and sends its edits.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot import images as imaging
from bot.i18n import Msg
from bot.logs import job_log_context
from bot.render import job_language, progress_embed, queued_view
from bot.storage.jobs import JobRecord

if TYPE_CHECKING:
    from bot.jobs.delivery import Delivery

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 2.5  # seconds between progress edits of one message, well under Discord's limits
HEARTBEAT = 10.0  # an unchanged progress message is refreshed (elapsed time) at most this often
FIRST_EDIT_AFTER = 1.0  # until then Discord's "thinking…" says enough; a quicker job needs no edit
DISCORD_FAILURES = (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)
"""What a request to Discord can raise when Discord or the network fails it."""


class Progress:
    """Coalesces edits of one job's message so that a busy bot never hits Discord's edit limits.

    ``update`` records the newest state and edits at most every ``progress_interval`` seconds
    (the newest state wins; older ones are dropped), not before ``first_edit_after``, and only
    when something visible changed or the elapsed time is ``HEARTBEAT`` seconds old. ``close``
    waits for an edit in flight, so the final message is never overwritten by a late progress edit.
    """

    def __init__(self, delivery: Delivery, job: JobRecord) -> None:
        self.delivery = delivery
        self.job = job
        self.started = time.monotonic()
        self.lang = job_language(job)  # the member's, kept with the job: also after a restart
        self.phase: Msg | str = Msg("phase-queued")
        self.position: int | None = None
        self.preview: bytes | None = None
        self._last_edit = 0.0
        self._dirty = False
        # The editing task, started only when an edit is due: most jobs end before their first
        # edit is due, and a timer costs far less than a task that sleeps and is cancelled.
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._lock = asyncio.Lock()

    def update(self, *, phase: Msg | str | None = None, position: int | None = None,
               preview: bytes | None = None, clear_position: bool = False) -> None:
        """Record a new state; schedule an edit unless one is already pending."""
        if self._closed:
            return
        changed = preview is not None
        if phase is not None and phase != self.phase:
            self.phase, changed = phase, True
        if (position is not None or clear_position) and position != self.position:
            self.position, changed = position, True
        if preview is not None:
            self.preview = preview
        if not changed and time.monotonic() - self._last_edit < HEARTBEAT:
            return  # only the elapsed time would change: not worth an edit yet
        self._dirty = True
        if self._task is not None and not self._task.done():
            return  # the editing task shows the newest state when its edit is due
        wait = self._due() - time.monotonic()
        if self._timer is not None:
            if wait > 0:
                return  # its start is scheduled already
            self._timer.cancel()  # due now (a preview): no waiting for the first delay
        if wait > 0:
            self._timer = asyncio.get_running_loop().call_later(wait, self._start)
        else:
            self._start()

    def _due(self) -> float:
        # A preview is what the member waits for: it is shown at once, not after the first delay.
        first = self.started + (0.0 if self.preview is not None else self.delivery.first_edit_after)
        return max(self._last_edit + self.delivery.progress_interval, first)

    def _start(self) -> None:
        self._timer = None
        if self._closed or not self._dirty:
            return
        self._task = asyncio.create_task(
            self._edit_while_dirty(), name=f"progress-{self.job.id[:8]}",
            context=job_log_context(job_id=self.job.id, guild_id=self.job.guild_id, user_id=self.job.user_id))

    async def _edit_while_dirty(self) -> None:
        # An update that lands during an edit sets _dirty again, so the newest state is always shown.
        while self._dirty and not self._closed:
            wait = self._due() - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            async with self._lock:
                if self._closed:
                    return
                self._dirty = False
                self._last_edit = time.monotonic()
                await self._edit()

    async def _edit(self) -> None:
        elapsed = time.monotonic() - self.started
        files = []
        name = None
        if self.preview is not None:
            name = imaging.PREVIEW_FILENAME
            files = [discord.File(io.BytesIO(self.preview), filename=name)]
        embed = progress_embed(self.job.options, phase=self.phase, elapsed=elapsed,
                               position=self.position, preview=name, lang=self.lang)
        view = queued_view(self.job.id, self.lang) if self.position is not None else None
        try:
            await self.delivery.edit_original(self.job, embed=embed, attachments=files, view=view)
        except DISCORD_FAILURES as error:
            log.info("job %s: progress edit failed: %s", self.job.id, error)

    async def close(self) -> None:
        """Stop editing; wait for an edit in flight."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None and not self._task.done() and not self._lock.locked():
            self._task.cancel()  # only a wait is cut short; an edit in flight is let finish
        async with self._lock:
            pass
