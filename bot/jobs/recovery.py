"""Resuming after a restart, or after another process stopped: every request and job left
unfinished reaches an outcome.

Three kinds of leftovers, each finished the way the job's rules say, and never by sending a
request to the API twice:

- an outcome stored but not yet told (``jobs.notice``): the member is told now;
- a job in the database: queued jobs run (nothing was sent yet), submitted edits are polled and
  delivered once, a result posted just before the stop is marked done, and a synchronous
  generation that was cut off is reported as interrupted and refunded (it may have been charged);
- a request recorded before its acknowledgement but never stored as a job (``intake``):
  reserved and queued if Discord saw the acknowledgement, dropped if not, and told in the channel
  that it was lost when Discord can no longer say (its token died while the bot was down).

What is looked at is what this process could take over (``claim_expired``): at start on a SQLite
file everything (only one process can use it), otherwise what other processes left when their
lease ran out (``bot.jobs.leases`` runs this again every few seconds). One item's trouble (Discord
unreachable while telling its member, say, or no answer within ``ITEM_TIMEOUT``) is logged and does
not stop the others or the bot's start; the item is let go, and taken again once its lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from bot.audit import Outcome
from bot.errors import BotError
from bot.gptproto.registry import JobKind
from bot.i18n import Msg, text
from bot.jobs.delivery import TokenDead
from bot.jobs.progress import Progress
from bot.render import failure_embed, job_language
from bot.storage.intake import Intake
from bot.storage.jobs import JobRecord, JobState

if TYPE_CHECKING:
    from bot.jobs.pipeline import PipelineSlot
    from bot.jobs.runner import JobRunner

log = logging.getLogger(__name__)

ITEM_TIMEOUT = 30.0
"""Seconds one leftover may take (its calls to Discord and the database) before it is left for later."""


class Recovery:
    """One pass over what stopped processes (or the last run of this one) left unfinished."""

    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner
        self.db = runner.db
        self.delivery = runner.delivery
        self.leases = runner.leases

    async def run(self, *, everything: bool, limit: int = 1_000_000) -> None:
        """Take over and finish leftovers: untold outcomes, unfinished jobs, requests never stored as jobs.

        ``everything``: whatever their lease (at start on a SQLite file); else only expired ones.
        """
        claimed = [j for j in await self.db.jobs.claim_expired(limit=limit, everything=everything)
                   if j.id not in self.leases.held]  # this process's own, renewed late: still its own
        untold = [j for j in claimed if not j.is_active]
        for job in untold:
            log.info("recovery: telling user %s how job %s ended", job.user_id, job.id)
            await self._one(job.id, "outcome of job", self.runner.tell(job))
        active = [j for j in claimed if j.is_active]
        for job in active:
            await self._one(job.id, "job", self._recover_one(job))
        received = [i for i in await self.db.intake.claim_expired(limit=limit, everything=everything)
                    if i.job_id not in self.leases.held]
        for intake in received:
            await self._one(intake.job_id, "request", self._recover_intake(intake))
        if active or received or untold:
            log.info("recovery: %d unfinished job(s), %d request(s) never stored, %d untold outcome(s) handled",
                     len(active), len(received), len(untold))

    async def _one(self, job_id: str, what: str, work: Coroutine[Any, Any, None]) -> None:
        """Finish one leftover, held meanwhile; its trouble is logged and stops neither the others
        nor the start: it is let go, to be taken again once its lease runs out."""
        self.leases.hold(job_id)
        try:
            # At start this runs in setup_hook, before the gateway connects: an unanswered call to
            # Discord (aiohttp waits 300 s by default) must not hold the start.
            async with asyncio.timeout(ITEM_TIMEOUT):
                await work
        except TimeoutError:
            log.warning("recovery: %s %s took over %.0f s; it stays for a later sweep", what, job_id, ITEM_TIMEOUT)
        except Exception:
            log.exception("recovery: %s %s could not be finished; it stays for a later sweep", what, job_id)
        finally:
            if not self.runner.handles(job_id):  # still held when queued, resumed, or its telling retried
                self.leases.let_go(job_id)

    async def _recover_intake(self, intake: Intake) -> None:
        """Finish a request that was recorded but not yet stored as a job when the bot stopped.

        If Discord never saw the bot's first answer, the member was shown Discord's own failure
        and may have asked again: the request is dropped. If Discord can no longer say (the
        token died), the member is told in the channel that it was lost. Otherwise it goes on as
        if nothing happened: reserved and queued, or refused with a sentence.
        """
        try:
            progress_message_id = await self.delivery.acknowledged(intake)
        except TokenDead:
            await self._tell_lost(intake)
            return
        if progress_message_id is None:
            log.info("recovery: request %s of user %s was never acknowledged; dropped", intake.job_id,
                     intake.user_id)
            await self.db.intake.discard(intake.job_id)
            return
        try:
            job = await self.runner.reserve(intake, progress_message_id)
        except BotError as refusal:
            log.info("recovery: request %s refused: %s", intake.job_id, refusal)
            lang = job_language(intake)
            if await self.delivery.tell(intake, failure_embed(refusal.render(lang), intake.options, lang)):
                await self.db.intake.discard(intake.job_id)
            else:  # Discord could not be reached: the request stays, to be refused and told later
                log.info("recovery: request %s: its member could not be told yet; it stays for a later sweep",
                         intake.job_id)
            return
        log.info("recovery: request %s of user %s stored and queued", job.id, job.user_id)
        self.runner.enqueue(job)

    async def _tell_lost(self, intake: Intake) -> None:
        """Tell the member, in the channel, that a request whose fate Discord cannot tell any more
        (its token died while the bot was down) was lost; it was never reserved, so never charged."""
        log.info("recovery: request %s of user %s is too old to ask Discord about; told it was lost",
                 intake.job_id, intake.user_id)
        lang = job_language(intake)
        sentence = text(lang, "request-lost-notice", stamp=str(int(intake.created_at)))
        if await self.delivery.tell(intake, failure_embed(sentence, intake.options, lang)):
            await self.db.intake.discard(intake.job_id)
        else:  # Discord could not be reached: the request stays, to be told later
            log.info("recovery: request %s: its member could not be told yet; it stays for a later sweep",
                     intake.job_id)

    async def _recover_one(self, job: JobRecord) -> None:
        if job.state is JobState.DELIVERING and await self._already_posted(job):
            return
        if job.state is JobState.QUEUED:
            log.info("recovery: job %s was waiting; queued again", job.id)
            self.runner.enqueue(job)
        elif job.kind is JobKind.EDIT and job.prediction_id:
            log.info("recovery: job %s polls prediction %s again", job.id, job.prediction_id)
            self.runner.spawn(self._resume_prediction(self.delivery.progress(job)), name=f"resume-{job.id[:8]}",
                              job_id=job.id)
        else:
            log.warning("recovery: job %s (%s, %s) was cut off by a restart; refunded",
                        job.id, job.kind, job.state)
            job = await self.db.jobs.fail(job.id, error="interrupted by a restart", state=JobState.INTERRUPTED,
                                          notice=text(job_language(job), "interrupted-notice"))
            self.runner.metrics.job_finished(job.kind, job.model, "interrupted")
            self.runner.audit.job_ended(job, Outcome.INTERRUPTED, Msg("audit-interrupted"))
            await self.runner.tell(job)

    async def _already_posted(self, job: JobRecord) -> bool:
        """Whether a job stopped while delivering had already posted its images (then: done)."""
        posted = await self.delivery.posted_before(job)
        if posted is None:
            return False
        delivered, ids = posted
        final = await self.db.jobs.finish(job.id, delivered=delivered, result_message_ids=ids)
        self.runner.metrics.job_finished(job.kind, job.model, "delivered", images=delivered)
        self.runner.audit.job_ended(final, Outcome.DELIVERED)
        self.runner.metrics.spend(job.model, final.cost_micros)
        log.info("recovery: job %s had already posted %d image(s) before the restart; marked done",
                 job.id, delivered)
        return True

    async def _resume_prediction(self, progress: Progress) -> None:
        job = progress.job
        assert job.prediction_id is not None
        prediction_id = job.prediction_id

        async def work(slot: PipelineSlot, started: float) -> None:
            answer = await self.runner.pipeline.resume_edit(
                prediction_id, submitted_at=job.started_at or job.created_at, slot=slot, listener=progress)
            await self.runner.deliver(progress, answer, started)

        await self.runner.drive(progress, work)
