"""Leases: which process works on a job, so that several processes share one database safely.

A job (and a request received but not yet stored as a job) is held by one process at a time:
``jobs.lease_owner`` names the process, ``lease_expires_at`` says until when. The process that
accepts a request holds it from the start (``IntakeStore.add``, ``QuotaStore.reserve``).
:class:`LeaseKeeper` then

- renews the leases of everything this process holds, every ``JOB_LEASE_S / 3`` seconds; a job
  another process took meanwhile (this one stalled past its lease) is let go at once, and a
  job's steps are guarded by its lease in SQL (``mark_running``, ``mark_submitted``,
  ``mark_delivering``), so a process that lost one never sends it to the API or posts it;
- sweeps every few seconds (:data:`SWEEP_INTERVAL`) for leases that ran out (their process died)
  and takes those rows over with the rules of a restart (:class:`bot.jobs.recovery.Recovery`):
  a queued job runs, a submitted prediction is polled and delivered once, a synchronous
  generation that was cut off is reported and refunded, an untold notice is told, a received
  request is stored or dropped. Claims skip rows another claimer has locked, so two sweeping
  processes never take the same job;
- lets go of everything on a graceful stop, so another process need not wait for the lease.

On a SQLite file only one process can run, so at start it takes over everything at once, as
before leases existed. ``MAX_CONCURRENT_JOBS`` stays per process.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.jobs.recovery import Recovery

if TYPE_CHECKING:
    from bot.jobs.runner import JobRunner

log = logging.getLogger(__name__)

SWEEP_INTERVAL = 5.0
"""At most this many seconds between two sweeps for expired leases."""
SWEEP_BATCH = 50
"""Jobs (and requests) one sweep takes over at most; the next sweep takes more."""
RELEASE_TIMEOUT = 5.0


class LeaseKeeper:
    """Renews this process's leases, lets go of lost ones, and sweeps for expired ones."""

    def __init__(self, runner: JobRunner, lease_seconds: float) -> None:
        self.runner = runner
        self.db = runner.db
        self.lease_seconds = lease_seconds
        self.renew_every = lease_seconds / 3
        self.sweep_every = min(SWEEP_INTERVAL, lease_seconds / 3)
        #: Ids of the jobs and requests this process works on (queued, running, being told).
        self.held: set[str] = set()
        self._tasks: list[asyncio.Task[None]] = []

    def hold(self, job_id: str) -> None:
        """This process works on ``job_id`` now: keep renewing its lease."""
        self.held.add(job_id)

    def let_go(self, job_id: str) -> None:
        """This process is done with ``job_id`` (finished, or handed on): stop renewing it."""
        self.held.discard(job_id)

    def start(self) -> None:
        """Start renewing and sweeping (after the start-up recovery)."""
        self._tasks = [asyncio.create_task(self._renew_forever(), name="lease-renew"),
                       asyncio.create_task(self._sweep_forever(), name="lease-sweep")]

    async def close(self) -> None:
        """Stop renewing and sweeping, then let go of what is still held (a graceful stop)."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        held, self.held = set(self.held), set()
        if not held:
            return
        try:
            async with asyncio.timeout(RELEASE_TIMEOUT):
                await self.db.jobs.release_leases(held)
            log.info("let go of %d job(s) and request(s): another process may take them over now", len(held))
        except Exception as error:
            log.warning("could not let go of %d lease(s) (%s); they run out after %.0f s", len(held), error,
                        self.lease_seconds)

    async def renew(self) -> None:
        """Renew every held lease once; let go of jobs another process took meanwhile."""
        lost = await self.db.jobs.renew_leases(set(self.held))
        for job_id in sorted(lost):
            self.runner.lost(job_id)

    async def sweep(self) -> None:
        """Take over once what other (stopped) processes left, as a restart would."""
        await Recovery(self.runner).run(everything=False, limit=SWEEP_BATCH)

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.renew_every)
            try:
                await self.renew()
            except Exception as error:
                log.warning("could not renew the leases of %d job(s): %s", len(self.held), error)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_every)
            try:
                await self.sweep()
            except Exception:
                log.exception("sweep for jobs of stopped processes failed; the next one tries again")
