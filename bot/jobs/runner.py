"""``JobRunner``: accept a job, queue it, run it on a worker, cancel it, recover it after a restart.

A job is written to the database (with its quota reservation, in one transaction) before
anything is sent to the API, so a restart never loses it: on start, queued jobs run again
(nothing was sent yet), submitted predictions are polled again, and a synchronous generation
that was cut off is reported as interrupted and refunded rather than silently sent twice.

The runner decides *what* happens to a job; ``pipeline`` talks to the API and ``delivery`` to
Discord, ``leases`` keeps the jobs this process holds from being taken by another.

Long because accepting, queueing, running, cancelling and letting go of a job all change the same
state (the queue, the running tasks, the leases held), which reads best in one class.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.audit import AuditLog, Outcome, Refusal
from bot.config import Settings
from bot.errors import BotError, ShuttingDown
from bot.gptproto.client import GPTProtoClient
from bot.gptproto.errors import APIError
from bot.gptproto.registry import ImageOptions, JobKind
from bot.i18n import Msg, plain, text
from bot.jobs.delivery import Delivery, check_channel_permissions
from bot.jobs.leases import LeaseKeeper
from bot.jobs.pipeline import Answer, Pipeline, PipelineSlot, PollPolicy
from bot.jobs.progress import Progress
from bot.jobs.recovery import Recovery
from bot.logs import LOG_FIELDS, bind_log_fields, redact
from bot.metrics import Metrics
from bot.policy import Policies
from bot.render import failure_embed, job_language, result_embed
from bot.storage.database import Database
from bot.storage.intake import Intake
from bot.storage.jobs import DEFAULT_UPLOAD_LIMIT, JobRecord, JobState, LeaseLost, ReplyTarget
from bot.tree import explain, report

log = logging.getLogger(__name__)

POSITION_INTERVAL = 5.0
"""Seconds between announcements of the waiting jobs' places (see ``_announce_positions``)."""
TELL_RETRY_DELAYS = (2.0, 6.0, 18.0)
"""Seconds before each further try to tell a member a job's outcome when Discord could not be
reached; after the last, the notice waits for the next start or sweep."""


class JobRunner:
    """Runs jobs under ``MAX_CONCURRENT_JOBS`` in a first-come-first-served queue."""

    def __init__(self, *, settings: Settings, db: Database, api: GPTProtoClient, delivery: Delivery,
                 metrics: Metrics, policies: Policies, audit: AuditLog, poll: PollPolicy | None = None) -> None:
        self.settings = settings
        self.db = db
        self.delivery = delivery
        self.metrics = metrics
        self.policies = policies
        self.audit = audit
        self.pipeline = Pipeline(api, poll=poll or PollPolicy(), edit_timeout_s=settings.edit_timeout_s,
                                 preview_images=settings.preview_images, metrics=metrics)
        self._stopping = False  # set by drain(): no job starts any more
        self._closed = False  # set by close()
        self._delivering: set[str] = set()  # ids of jobs posting their images (drain waits for them)
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._waiting: collections.OrderedDict[str, Progress] = collections.OrderedDict()
        self._workers: list[asyncio.Task[None]] = []
        self._side_tasks: set[asyncio.Task[None]] = set()
        self._started_at: dict[str, float] = {}
        self._running: dict[str, asyncio.Task[None]] = {}  # each running job's own task, for cancel
        self._handoffs: dict[str, asyncio.Future[None]] = {}  # set when a worker's job starts posting
        self._telling: set[str] = set()  # ids of jobs whose notice is retried in the background
        self.position_interval = POSITION_INTERVAL
        self._announcing: asyncio.TimerHandle | None = None  # the pending announcement of places
        self._announced_at = float("-inf")
        db.lease_seconds = settings.job_lease_s
        self.leases = LeaseKeeper(self, settings.job_lease_s)  # which jobs this process holds

    # -- life of the runner -------------------------------------------------------------------

    async def start(self) -> None:
        """Start the workers, resume what a restart interrupted, then keep leases and sweep."""
        for index in range(self.settings.max_concurrent_jobs):
            self._workers.append(asyncio.create_task(self._worker(), name=f"job-worker-{index}"))
        # A SQLite file has one process: take over everything now, as before leases existed.
        await Recovery(self).run(everything=self.db.single_process)
        self.leases.start()

    async def close(self) -> None:
        """Stop the workers; jobs in flight stay in the database, let go for another process or the next start."""
        self._closed = True
        if self._announcing is not None:
            self._announcing.cancel()
            self._announcing = None
        tasks = [*self._workers, *self._side_tasks]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._workers.clear()
        self._side_tasks.clear()
        await self.leases.close()

    def handles(self, job_id: str) -> bool:
        """Whether a job is queued or running in this process, or its member is still to be told."""
        return job_id in self._waiting or job_id in self._running or job_id in self._telling

    def _let_go_unless_handled(self, job_id: str) -> None:
        if not self.handles(job_id):
            self.leases.let_go(job_id)

    def lost(self, job_id: str) -> None:
        """Another process holds ``job_id`` now (this one stalled past its lease): let it go here."""
        self.leases.let_go(job_id)
        self._telling.discard(job_id)
        progress = self._waiting.pop(job_id, None)
        task = self._running.get(job_id)
        if progress is None and task is None:
            return
        log.warning("job %s: another process took it over (this one stalled past its lease); let go", job_id)
        if progress is not None:
            self.spawn(progress.close(), name=f"let-go-{job_id[:8]}")
        if task is not None:
            task.cancel()

    async def drain(self, grace: float) -> None:
        """Start no more jobs; give the ones posting their images up to ``grace`` seconds to finish.

        A graceful stop calls this before ``close``: what is not posted by then stays in the
        database, to be resumed by the next start like after any restart.
        """
        self._stopping = True
        deadline = time.monotonic() + grace
        while self._delivering and time.monotonic() < deadline:  # noqa: ASYNC110 - a few seconds, once, at exit
            await asyncio.sleep(0.05)
        if self._delivering:
            log.warning("stopping with %d job(s) still posting; the next start finishes them", len(self._delivering))

    def workers_alive(self) -> bool:
        """Whether every worker is still running (for the health check)."""
        return bool(self._workers) and not any(task.done() for task in self._workers)

    def queue_depth(self) -> int:
        """Jobs waiting for a worker."""
        return len(self._waiting)

    def running_count(self) -> int:
        """Jobs running now: on a worker, or resumed beside the workers after a restart."""
        return len(self._started_at) + sum(1 for task in self._running.values() if task in self._side_tasks)

    def spawn(self, coro: Any, name: str, *, job_id: str | None = None) -> None:
        """Run ``coro`` beside the workers (cancelled with them on close); as ``job_id``'s task if given."""
        task = asyncio.create_task(coro, name=name)
        self._side_tasks.add(task)
        task.add_done_callback(self._side_tasks.discard)
        if job_id is not None:
            self._running[job_id] = task
            self.leases.hold(job_id)
            task.add_done_callback(lambda _: self._running.pop(job_id, None))
            task.add_done_callback(lambda _: self._let_go_unless_handled(job_id))

    # -- accepting work -----------------------------------------------------------------------

    async def submit(
        self,
        interaction: discord.Interaction,
        *,
        kind: JobKind,
        options: ImageOptions,
        parent_job_id: str | None = None,
        before_start: Callable[[], Awaitable[None]] | None = None,
    ) -> JobRecord | None:
        """Record the request, answer Discord, reserve the quota and store the job, then queue it.

        The request is written (``db.intake``, commits grouped across a burst) before the first
        answer, so no acknowledged request is ever without a durable record: a restart finds it
        (``bot.jobs.recovery``). Discord is answered (defer) before the reservation, which is
        serialised in the database. A refusal (``QuotaExceeded``, ``TooManyJobs``) is told to the
        member privately here, removing the "thinking…" message; then ``None`` is returned.
        ``before_start`` runs after the reservation (checks that may take long, such as
        downloading attachments); if it raises, the job is discarded as if it never was.
        """
        if self._stopping:
            raise ShuttingDown()
        check_channel_permissions(interaction)
        # The one check of every request (blocked terms, allowed models, moderation), before any record.
        options = await self.policies.screen(interaction, kind, options)
        member = interaction.user
        intake = Intake(
            job_id=uuid.uuid4().hex, kind=kind, user_id=member.id, guild_id=interaction.guild_id,
            options=options, parent_job_id=parent_job_id, created_at=self.db.intake.now(),
            reply=ReplyTarget(
                channel_id=interaction.channel_id or 0,
                application_id=interaction.application_id,
                interaction_id=interaction.id,
                token=interaction.token,
                created_at=interaction.created_at.timestamp(),
                upload_limit=getattr(interaction, "filesize_limit", DEFAULT_UPLOAD_LIMIT),
                role_ids=tuple(r.id for r in getattr(member, "roles", [])),
                # The job speaks the member's language, its audit entry the server's.
                locale=str(interaction.locale) if interaction.locale else None,
                guild_locale=str(interaction.guild_locale) if interaction.guild_locale else None,
            ))
        self.leases.hold(intake.job_id)  # the request, then its job, is this process's
        try:
            await self.db.intake.add(intake)
        except BaseException:
            self.leases.let_go(intake.job_id)
            raise
        try:
            progress_message_id = None
            if not interaction.response.is_done():
                # Discord drops the interaction after 3 s without an answer.
                callback = await interaction.response.defer(thinking=True)
                progress_message_id = callback.message_id if callback is not None else None
            job = await self.reserve(intake, progress_message_id)
        except BotError as refusal:
            self.metrics.job_finished(kind, options.model, "refused")
            self.audit.job_ended(Refusal.of(interaction, kind, options), Outcome.REFUSED,
                                 refusal.as_msg() or str(refusal))
            await report(interaction, refusal, what=f"{kind} request {intake.job_id}")
            await self.db.intake.discard(intake.job_id)  # after telling: a restart between tells again
            self.leases.let_go(intake.job_id)
            return None
        except BaseException:
            await asyncio.shield(self.db.intake.discard(intake.job_id))
            self.leases.let_go(intake.job_id)
            raise
        try:
            if before_start is not None:
                await before_start()
        except BaseException as error:
            # Not queued, so nothing would ever run it: it must not hold quota (nor run after a
            # restart). Shielded so that a cancellation cannot leave it half done.
            await asyncio.shield(self.db.jobs.discard(job.id))
            self.leases.let_go(job.id)
            log.info("job %s: not started (%r); discarded", job.id, error)
            raise
        bind_log_fields(job_id=job.id, guild_id=job.guild_id, user_id=job.user_id)
        self.enqueue(job)
        log.info("job %s accepted: %s by user %s in guild %s, %d image(s)", job.id, kind,
                 member.id, interaction.guild_id, options.n)
        return job

    async def reserve(self, intake: Intake, progress_message_id: int | None) -> JobRecord:
        """Turn a received request into a stored job with its reservation (its intake row goes)."""
        # The worst case counts the previews the job will stream: the server's setting, as ``run`` reads it.
        previews = (await self.policies.get(intake.guild_id)).preview_images
        return await self.db.quotas.reserve(
            kind=intake.kind, user_id=intake.user_id, guild_id=intake.guild_id, options=intake.options,
            reply=intake.reply, parent_job_id=intake.parent_job_id, job_id=intake.job_id,
            preview_images=previews, progress_message_id=progress_message_id or None)

    def enqueue(self, job: JobRecord) -> None:
        """Put a stored job at the back of the queue and show its place."""
        progress = self.delivery.progress(job)
        self.leases.hold(job.id)
        self._waiting[job.id] = progress
        self._queue.put_nowait(job.id)
        position = len(self._waiting)
        if position > self.idle_slots():
            progress.update(phase=Msg("phase-queued"), position=position - self.idle_slots())

    def idle_slots(self) -> int:
        """Workers not running a job right now."""
        return max(0, self.settings.max_concurrent_jobs - len(self._started_at))

    def _announce_positions(self) -> None:
        """Show the waiting jobs their new places, at most every ``position_interval`` seconds.

        Every job that starts moves the whole queue up one place; announced each time, a queue of
        n jobs would cost n² updates and an edit of every waiting message per start. One pending
        announcement covers every change until it runs.
        """
        if self._announcing is not None or self._stopping or self._closed:
            return  # one is pending already, or the runner is stopping or closed
        loop = asyncio.get_running_loop()
        delay = max(0.0, self._announced_at + self.position_interval - loop.time())
        self._announcing = loop.call_later(delay, self._announce_now)

    def _announce_now(self) -> None:
        self._announcing = None
        self._announced_at = asyncio.get_running_loop().time()
        free = self.idle_slots()
        for index, progress in enumerate(self._waiting.values(), start=1):
            if index > free:
                progress.update(position=index - free)

    async def cancel(self, job: JobRecord, *, by: int) -> bool:
        """Cancel a queued or running job, refund it and tell its member who cancelled it.

        A queued job leaves the queue. A running one has its task cancelled: an API call in flight
        is cut off (its connection closed), which the provider may still bill, but the member's
        quota and budget are refunded whatever happens, and a submitted edit is simply no longer
        polled. A job already being posted is left to finish. ``False`` when there was nothing
        to cancel.
        """
        progress = self._waiting.pop(job.id, None)
        if progress is not None:
            self.leases.let_go(job.id)
        if progress is None:
            if job.id in self._delivering:
                return False  # its images are in: they are posted, not thrown away
            stored = await self.db.jobs.get(job.id)
            if stored is None or not stored.is_active or stored.state is JobState.DELIVERING:
                return False
            task = self._running.get(job.id)
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        else:
            await progress.close()
        # The notice is stored already rendered, in the language of the member who asked.
        notice = (text(job_language(job), "cancelled-notice") if by == job.user_id
                  else text(job_language(job), "cancelled-by-admin-notice", by=str(by)))
        final = await self.db.jobs.fail(job.id, error=f"cancelled by {by}", state=JobState.CANCELLED,
                                        notice=notice)
        if final.state is not JobState.CANCELLED or final.error != f"cancelled by {by}":
            # It ended some other way meanwhile: a failure whose telling this cancel may have cut off.
            if final.notice:
                await self.tell(final)
            return False
        log.info("job %s cancelled by %s (%s)", job.id, by, "queued" if progress else "running")
        self.metrics.job_finished(job.kind, job.model, "cancelled")
        self.audit.job_ended(final, Outcome.CANCELLED, Msg("audit-cancelled-by", {"by": str(by)}))
        self._announce_positions()
        await self.tell(final)
        return True

    # -- running ------------------------------------------------------------------------------

    async def _worker(self) -> None:
        # A worker holds one of the ``MAX_CONCURRENT_JOBS`` slots ("API calls in flight at once")
        # until its job's images are in: posting them to Discord goes on beside the workers
        # (``_hand_off``), so that one member's upload never keeps the next job from the API.
        while True:
            job_id = await self._queue.get()
            if self._stopping:
                continue  # stopping: the job stays queued in the database for the next start
            progress = self._waiting.pop(job_id, None)
            if progress is None:
                continue  # cancelled while waiting, or let go to another process
            self._started_at[job_id] = time.monotonic()
            self._announce_positions()
            handoff = self._handoffs[job_id] = asyncio.get_running_loop().create_future()
            # Each job runs in its own task, so that cancel() can stop it alone. The worker waits
            # for the hand-off, which a job that ends before it (failed, cancelled) gives too.
            task = asyncio.create_task(self.run(progress), name=f"job-{job_id[:8]}")
            self._running[job_id] = task
            task.add_done_callback(lambda done, job_id=job_id: self._job_done(job_id, done))
            # This worker's own hand-off, not looked up by id: the same job may be running again
            # elsewhere (lost to another process and taken back) while this task still ends.
            task.add_done_callback(lambda _, handoff=handoff: handoff.done() or handoff.set_result(None))
            try:
                await handoff
                if not task.done():  # posting now: it goes on as a side task (stopped on close)
                    self._side_tasks.add(task)
                    task.add_done_callback(self._side_tasks.discard)
            except asyncio.CancelledError:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise
            finally:
                self._handoffs.pop(job_id, None)
                self._started_at.pop(job_id, None)
            self._announce_positions()

    def _job_done(self, job_id: str, task: asyncio.Task[None]) -> None:
        if self._running.get(job_id) is task:
            del self._running[job_id]
        if not task.cancelled() and task.exception() is not None:  # the runner must outlive any one job
            log.error("job %s: unexpected error; the worker goes on", job_id, exc_info=task.exception())
        self._let_go_unless_handled(job_id)  # its notice may still be retried

    def _hand_off(self, job_id: str) -> None:
        """The job's API work is over: free its worker for the next job while it posts."""
        handoff = self._handoffs.pop(job_id, None)
        if handoff is not None and not handoff.done():
            handoff.set_result(None)

    async def run(self, progress: Progress) -> None:
        """Run one job to its end; every failure is told, refunded and logged; never raises."""
        job = progress.job

        async def work(slot: PipelineSlot, started: float) -> None:
            if not await self.db.jobs.mark_running(job.id):
                log.info("job %s is no longer queued; skipped", job.id)
                return
            if job.kind is JobKind.GENERATE:
                policy = await self.policies.get(job.guild_id)
                answer = await self.pipeline.generate(job.id, job.options, slot, progress,
                                                      previews=policy.preview_images)
            else:
                async def submitted(prediction_id: str) -> None:
                    await self.db.jobs.mark_submitted(job.id, prediction_id)

                answer = await self.pipeline.edit(job.id, job.options, slot, progress, on_submitted=submitted)
            await self.deliver(progress, answer, started)

        await self.drive(progress, work)

    async def drive(self, progress: Progress, work: Callable[[PipelineSlot, float], Awaitable[None]]) -> None:
        """Run a job's ``work`` (its API calls and delivery) under the rules every run follows.

        A failure is told, refunded and logged (never raised); a job lost to another process is
        left alone; on cancellation (a stop, or ``cancel``) the progress message is closed first,
        shielded, so that no late progress edit can overwrite what is said after. Used by
        ``run`` and by a prediction resumed after a restart.
        """
        job = progress.job
        started = time.monotonic()
        slot = self.pipeline.slot()
        log_fields = bind_log_fields(job_id=job.id, guild_id=job.guild_id, user_id=job.user_id)
        try:
            await work(slot, started)
        except asyncio.CancelledError:
            # Shutting down (the job stays in the database for recovery), or cancelled.
            await asyncio.shield(progress.close())
            raise
        except LeaseLost:
            log.warning("job %s: over already, or held by another process now; not posted here", job.id)
            await progress.close()
        except Exception as error:
            await self.fail(progress, error, started)
        finally:
            slot.release()
            self.finished_delivering(job.id)
            LOG_FIELDS.reset(log_fields)

    def finished_delivering(self, job_id: str) -> None:
        """The job no longer posts images (a graceful stop need not wait for it)."""
        self._delivering.discard(job_id)

    async def deliver(self, progress: Progress, answer: Answer, started: float) -> None:
        """Check, fit and post the images; commit the quota for what was delivered."""
        job = progress.job
        # The API call is over (and paid for): a graceful stop waits for it from here on, and a
        # cancel no longer throws it away.
        self._delivering.add(job.id)
        # The worker takes the next job while this one posts. How many post at once is bounded
        # by the memory their answers hold (the pipeline's ``ResultBudget``), not by a count.
        self._hand_off(job.id)
        # The result's quota line is read beside the state change: both reach the database in
        # one batch, one trip to its thread instead of two.
        quota_left = asyncio.ensure_future(self.quota_left(job))
        try:
            if not await self.db.jobs.mark_delivering(job.id):
                raise LeaseLost(job.id)  # over already, or another process holds it: never post twice
            await self._post(progress, answer, started, quota_left)
        finally:
            quota_left.cancel()  # nothing to do once it is read

    async def _post(self, progress: Progress, answer: Answer, started: float,
                    quota_left: Awaitable[str | None]) -> None:
        job = progress.job
        via_channel = not self.delivery.token_alive(job)
        fitted = await self.delivery.fit(job, answer.images, via_channel=via_channel)
        await progress.close()
        # From the member's request, not this process's start: a resumed job keeps its true age.
        seconds = max(time.time() - job.created_at, time.monotonic() - started)
        usage = answer.usage
        # The money reservation is settled to what the answer's usage says it cost (an edit's
        # answer has none: it is charged its estimate).
        charge = self.db.quotas.limits.pricing.charge(
            job.options, usage, estimate=job.cost_estimate_micros, delivered=len(fitted))
        embed = result_embed(job.options, fitted, seconds=seconds, quota_left=await quota_left,
                             requester_id=job.user_id, cost_micros=charge.shown, lang=job_language(job))
        message_ids = await self.delivery.post_result(job, embed, fitted, via_channel=via_channel)
        final = await self.db.jobs.finish(
            job.id, delivered=len(fitted), input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens, total_tokens=usage.total_tokens,
            result_message_ids=message_ids, cost_micros=charge.micros, cost_basis=charge.basis,
            text_input_tokens=usage.text_input_tokens, image_input_tokens=usage.image_input_tokens)
        log.info("job %s done: user %s model %s %d/%d image(s) in %.1f s, %d tokens, %d micro-dollars (%s)%s",
                 job.id, job.user_id, job.model, final.images_delivered, job.images_requested, seconds,
                 usage.total_tokens, final.cost_micros, final.cost_basis, " (via channel)" if via_channel else "")
        self.metrics.job_finished(job.kind, job.model, "delivered", seconds, images=final.images_delivered)
        self.audit.job_ended(final, Outcome.DELIVERED)
        self.metrics.spend(job.model, final.cost_micros)

    async def quota_left(self, job: JobRecord) -> str | None:
        """``"7 of 20 images left today"`` for the result embed, in the member's language."""
        try:
            used, limit = await self.db.quotas.images_left(
                user_id=job.user_id, guild_id=job.guild_id, role_ids=job.reply.role_ids)
        except Exception:
            log.exception("job %s: could not read the quota", job.id)
            return None
        lang = job_language(job)
        if limit is None:
            return text(lang, "quota-left-unlimited")
        return text(lang, "quota-left", left=plain(max(0, limit - used)), limit=plain(limit))

    async def fail(self, progress: Progress, error: BaseException, started: float) -> None:
        """Refund, tell the member in one sentence, and log one line for the admin."""
        job = progress.job
        await progress.close()
        explained = explain(error, job_language(job))
        detail = redact(explained.detail, self.settings.secrets)  # stored in the database: no secret there
        # The refund and the sentence to tell (in the member's language) are one write; telling
        # comes after (see ``tell``).
        job = await self.db.jobs.fail(job.id, error=detail, notice=explained.sentence)
        self.metrics.job_finished(job.kind, job.model, "failed")
        self.audit.job_ended(job, Outcome.FAILED, explained.msg)
        if isinstance(error, APIError):
            self.metrics.api_error(error)
        seconds = time.monotonic() - started
        if explained.unexpected:
            log.error("job %s failed: user %s model %s after %.1f s", job.id, job.user_id, job.model,
                      seconds, exc_info=error)
        else:
            log.log(explained.level, "job %s failed: user %s model %s after %.1f s: %s", job.id,
                    job.user_id, job.model, seconds, detail)
        await self.tell(job)

    async def tell(self, job: JobRecord) -> None:
        """Show the member the job's notice, then forget it.

        Telling is a call to Discord that cannot share a transaction with the refund, so the
        sentence is stored with the refund and cleared only once shown: a restart in between
        finds it (``bot.jobs.recovery``) and tells the member then. With
        Discord out of reach, it is tried again a few times in the background (``TELL_RETRY_DELAYS``);
        after that, the next start or sweep tells it.
        """
        if job.notice is None or job.id in self._telling:
            return
        if await self._tell_once(job):
            return
        self._telling.add(job.id)
        self.leases.hold(job.id)  # this process tells it: no other process's sweep meanwhile
        self.spawn(self._tell_later(job), name=f"tell-{job.id[:8]}")

    async def _tell_once(self, job: JobRecord) -> bool:
        assert job.notice is not None
        if await self.delivery.tell(job, failure_embed(job.notice, job.options, job_language(job))):
            await self.db.jobs.mark_told(job.id)
            return True
        return False

    async def _tell_later(self, job: JobRecord) -> None:
        try:
            for delay in TELL_RETRY_DELAYS:
                await asyncio.sleep(delay)
                if job.id not in self._telling:
                    return  # another process took it over (this one stalled past its lease)
                try:
                    if await self._tell_once(job):
                        return
                except Exception:
                    log.exception("job %s: telling user %s failed", job.id, job.user_id)
            log.warning("job %s: user %s could not be told after %d tries; left for the next start or sweep",
                        job.id, job.user_id, len(TELL_RETRY_DELAYS) + 1)
        finally:
            self._telling.discard(job.id)
            self.leases.let_go(job.id)
