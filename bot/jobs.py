"""``JobRunner``: a job's whole life — reserve, queue, run, poll, deliver, finish or refund, recover.

A job is written to SQLite (with its quota reservation, in one transaction) before anything is
sent to the API, so a restart never loses it: on start, queued jobs run again (nothing was sent
yet), submitted predictions are polled again, and a synchronous generation that was cut off is
reported as interrupted and refunded rather than silently sent twice.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import io
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot import images as imaging
from bot.audit import Outcome, Refusal  # issue 12
from bot.errors import BotError, JobFailed, NotAllowed
from bot.gptproto.errors import (
    APIConnectionError,
    APIError,
    APITimeout,
    MalformedResponse,
    PredictionFailed,
    PredictionTimeout,
    ProviderError,
    RateLimited,
)
from bot.gptproto.registry import ImageOptions, JobKind, validate_edit, validate_generate
from bot.gptproto.types import Prediction, PredictionStatus, TokenUsage
from bot.logs import redact
from bot.render import failure_embed, progress_embed, queued_view, result_embed, result_view
from bot.storage.jobs import DEFAULT_UPLOAD_LIMIT, JobRecord, JobState, ReplyTarget
from bot.tree import GENERIC_FAILURE

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

TOKEN_LIFETIME = 15 * 60
TOKEN_MARGIN = 30  # deliver through the channel a little before the token dies
MAX_FILES_PER_MESSAGE = 10
PROGRESS_INTERVAL = 2.5  # seconds between progress edits of one message, well under Discord's limits
HEARTBEAT = 10.0  # an unchanged progress message is refreshed (elapsed time) at most this often
RESULT_SLOTS = 1  # large answers read, decoded, fitted and posted at once (see PipelineSlot)
LARGE_ANSWER = 4 * 1024 * 1024  # bytes of answer from which a result takes a pipeline slot
# 1 s, then every 2.2 s (each ±15 %): a result is noticed ~1.1 s after it is ready on average,
# with fewer than one poll per 2 s (see BENCHMARKS.md, figure 5).
POLL_FIRST, POLL_FACTOR, POLL_MAX = 1.0, 2.2, 2.2
MAX_OUTPUT_BYTES = 50 * 1024 * 1024
#: What talking to Discord can raise besides its own answers (discord.py re-raises network errors).
DISCORD_FAILURES = (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)
#: Discord's answers meaning the interaction token can no longer be used.
DEAD_TOKEN_CODES = frozenset({50027, 10015, 10062, 10008})


NEEDED_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "attach_files": "Attach Files",
    "embed_links": "Embed Links",
}


THREAD_TYPES = frozenset({discord.ChannelType.public_thread, discord.ChannelType.private_thread,
                          discord.ChannelType.news_thread})


def check_channel_permissions(interaction: discord.Interaction) -> None:
    """Refuse early, in one sentence, where the bot could not post the result.

    Results are posted through the interaction, and through the channel once its token has
    expired, so the bot needs these in the channel; Discord says which it has in
    ``app_permissions``.
    """
    if interaction.guild_id is None:
        return
    have = interaction.app_permissions
    needed = dict(NEEDED_PERMISSIONS)
    if getattr(interaction.channel, "type", None) in THREAD_TYPES:
        # In a thread Discord grants "Send Messages in Threads", not "Send Messages".
        del needed["send_messages"]
        needed["send_messages_in_threads"] = "Send Messages in Threads"
    missing = [label for name, label in needed.items() if not getattr(have, name, False)]
    if missing:
        log.warning("channel %s in guild %s: the bot lacks %s; refused a command there",
                    interaction.channel_id, interaction.guild_id, ", ".join(missing))
        raise NotAllowed(
            f"I can't post images in this channel: I need the {', '.join(missing)} permission"
            f"{'s' if len(missing) > 1 else ''} here. Ask a server admin, or try another channel."
        )


class PipelineSlot:
    """The place of a large result in the results pipeline (read, decode, fit, post).

    A 4K answer takes ~200 MB at its peak while it is read, decoded, fitted and posted; with many
    results arriving together the bot would hold them all. A job with a large answer takes a slot
    when the answer arrives (before its body is read) and gives it back once posted, so only
    ``RESULT_SLOTS`` large answers are in memory at once; the others wait, their connections
    open, costing nothing. Small answers (most) skip the wait.
    """

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self._slots = slots
        self._held = False

    async def acquire(self, size: int | None = None) -> None:
        """Wait for a place, unless the answer is known to be small (once; later calls do nothing)."""
        if size is not None and size < LARGE_ANSWER:
            return
        if not self._held:
            await self._slots.acquire()
            self._held = True

    def release(self) -> None:
        """Give the place back, if taken."""
        if self._held:
            self._held = False
            self._slots.release()


def mention_only(user_id: int) -> discord.AllowedMentions:
    """Mentions that ping the requester and nobody else."""
    return discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(user_id)])


@dataclass
class Progress:
    """Coalesces edits of one job's message so that a busy bot never hits Discord's edit limits.

    ``update`` records the newest state and edits at most every ``progress_interval`` seconds (the newest
    state wins; older ones are dropped), and only when something visible changed or the elapsed
    time is ``HEARTBEAT`` seconds old. ``close`` waits for an edit in flight, so the final
    message is never overwritten by a late progress edit.
    """

    runner: JobRunner
    job: JobRecord
    options: ImageOptions
    started: float = field(default_factory=time.monotonic)
    phase: str = "Queued"
    position: int | None = None
    preview: bytes | None = None
    _last_edit: float = 0.0
    _dirty: bool = False
    _task: asyncio.Task[None] | None = None
    _closed: bool = False
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def update(self, *, phase: str | None = None, position: int | None = None,
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
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._edit_while_dirty(), name=f"progress-{self.job.id[:8]}")

    async def _edit_while_dirty(self) -> None:
        # An update that lands during an edit sets _dirty again, so the newest state is always shown.
        while self._dirty and not self._closed:
            wait = self._last_edit + self.runner.progress_interval - time.monotonic()
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
        embed = progress_embed(self.options, phase=self.phase, elapsed=elapsed,
                               position=self.position, preview=name)
        view = queued_view(self.job.id) if self.position is not None else None
        try:
            await self.runner.edit_original(self.job, embed=embed, attachments=files, view=view)
        except DISCORD_FAILURES as error:
            log.info("job %s: progress edit failed: %s", self.job.id, error)

    async def close(self) -> None:
        """Stop editing; wait for an edit in flight."""
        self._closed = True
        if self._task is not None and not self._task.done() and not self._lock.locked():
            self._task.cancel()  # only a wait is cut short; an edit in flight is let finish
        async with self._lock:
            pass


class JobRunner:
    """Runs jobs under ``MAX_CONCURRENT_JOBS`` in a first-come-first-served queue."""

    #: Seconds between two edits of one job's message (tests shorten it).
    progress_interval: float = PROGRESS_INTERVAL

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        self.settings = bot.settings
        self.db = bot.db
        self.api = bot.api
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._waiting: collections.OrderedDict[str, Progress] = collections.OrderedDict()
        self._workers: list[asyncio.Task[None]] = []
        self._side_tasks: set[asyncio.Task[None]] = set()
        self._started_at: dict[str, float] = {}
        self._running: dict[str, asyncio.Task[None]] = {}  # issue 12: running jobs, for cancel_job
        self._result_slots = asyncio.Semaphore(RESULT_SLOTS)

    # -- life of the runner -------------------------------------------------------------------

    async def start(self) -> None:
        """Start the workers and resume what a restart interrupted."""
        for index in range(self.settings.max_concurrent_jobs):
            self._workers.append(asyncio.create_task(self._worker(), name=f"job-worker-{index}"))
        await self.recover()

    async def close(self) -> None:
        """Stop the workers; jobs in flight stay in the database for the next start."""
        tasks = [*self._workers, *self._side_tasks]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._workers.clear()
        self._side_tasks.clear()

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._side_tasks.add(task)
        task.add_done_callback(self._side_tasks.discard)

    # -- accepting work -----------------------------------------------------------------------

    async def submit(
        self,
        interaction: discord.Interaction,
        *,
        kind: JobKind,
        options: ImageOptions,
        parent_job_id: str | None = None,
        before_start: Callable[[], Awaitable[None]] | None = None,
    ) -> JobRecord:
        """Answer Discord, reserve the quota and store the job, then queue it.

        Discord is answered first (defer) so that a burst of commands is acknowledged as fast as
        Discord allows; the reservation, serialised in SQLite, comes after. A refusal
        (``QuotaExceeded``, ``TooManyJobs``) then reaches the member privately through the tree's
        error handler, which removes the "thinking…" message. ``before_start`` runs after the
        reservation (checks that may take long, such as downloading attachments); if it raises,
        the job is discarded as if it never was.
        """
        check_channel_permissions(interaction)
        # issue 12: the one check of every request (blocked terms, allowed models, moderation).
        options = await self.bot.policies.screen(interaction, kind, options)
        progress_message_id = None
        if not interaction.response.is_done():
            # Discord drops the interaction after 3 s without an answer.
            callback = await interaction.response.defer(thinking=True)
            progress_message_id = callback.message_id if callback is not None else None
        member = interaction.user
        role_ids = [r.id for r in getattr(member, "roles", [])]
        reply = ReplyTarget(
            channel_id=interaction.channel_id or 0,
            application_id=interaction.application_id,
            interaction_id=interaction.id,
            token=interaction.token,
            created_at=interaction.created_at.timestamp(),
            upload_limit=getattr(interaction, "filesize_limit", DEFAULT_UPLOAD_LIMIT),
            role_ids=tuple(role_ids),
        )
        try:
            job = await self.db.quotas.reserve(
                kind=kind, user_id=member.id, guild_id=interaction.guild_id, options=options, reply=reply,
                parent_job_id=parent_job_id,
            )
        except BotError as error:  # issue 12: a limit refused it; the audit log hears of it
            self.bot.audit.job_ended(Refusal.of(interaction, kind, options), Outcome.REFUSED, str(error))
            raise
        try:
            if progress_message_id:
                await self.db.jobs.set_progress_message(job.id, progress_message_id)
                job = dataclasses.replace(job, progress_message_id=progress_message_id)
            if before_start is not None:
                await before_start()
        except BaseException as error:
            # Not queued, so nothing would ever run it: it must not hold quota (nor run after a
            # restart). Shielded so that a cancellation cannot leave it half done.
            await asyncio.shield(self.db.jobs.discard(job.id))
            log.info("job %s: not started (%r); discarded", job.id, error)
            raise
        self.enqueue(job, options)
        log.info("job %s accepted: %s by user %s in guild %s, %d image(s)", job.id, kind,
                 member.id, interaction.guild_id, options.n)
        return job

    def enqueue(self, job: JobRecord, options: ImageOptions) -> None:
        """Put a stored job at the back of the queue and show its place."""
        progress = Progress(self, job, options)
        self._waiting[job.id] = progress
        self._queue.put_nowait(job.id)
        position = len(self._waiting)
        if position > self.idle_slots():
            progress.update(phase="Queued", position=position - self.idle_slots())

    def idle_slots(self) -> int:
        """Workers not running a job right now."""
        return max(0, self.settings.max_concurrent_jobs - len(self._started_at))

    def _announce_positions(self) -> None:
        free = self.idle_slots()
        for index, progress in enumerate(self._waiting.values(), start=1):
            if index > free:
                progress.update(position=index - free)

    async def reroll(self, interaction: discord.Interaction, job: JobRecord) -> JobRecord:
        """The same request again, through validation and quota like a new command."""
        old = job.options
        if old.spec.kind is JobKind.GENERATE:
            options = validate_generate(
                model=old.model, prompt=old.prompt, size=old.size, quality=old.quality, n=old.n,
                background=old.background, output_format=old.output_format,
                default_model=self.settings.default_model)
        else:
            options = validate_edit(
                model=old.model, prompt=old.prompt, images=list(old.images), mask=old.mask,
                size=old.size, quality=old.quality, n=old.n, background=old.background,
                default_model=self.settings.default_edit_model)
        return await self.submit(interaction, kind=job.kind, options=options, parent_job_id=job.id)

    async def edit_result(self, interaction: discord.Interaction, job_id: str, prompt: str,
                          urls: Sequence[str]) -> JobRecord:
        """Edit a posted result (its images) with a new prompt."""
        if not urls:
            raise BotError("That message has no images left to edit.")
        policy = await self.bot.policies.get(interaction.guild_id)  # issue 12: the server's default
        options = validate_edit(model=None, prompt=prompt, images=list(urls)[:16],
                                default_model=policy.default_edit_model)
        return await self.submit(interaction, kind=JobKind.EDIT, options=options, parent_job_id=job_id)

    async def cancel(self, interaction: discord.Interaction, job: JobRecord, *, by_admin: bool) -> None:
        """Cancel a job, queued or running (its owner, or an admin)."""
        if interaction.user.id != job.user_id and not by_admin:
            raise NotAllowed("Only the member who asked for this image, or a server admin, can cancel it.")
        await interaction.response.defer()  # answer Discord first; the rest may take a moment
        if not await self.cancel_job(job, by=interaction.user.id):
            raise BotError("That job has already finished, so it can't be cancelled any more.")

    async def cancel_job(self, job: JobRecord, *, by: int) -> bool:
        """Cancel a queued or running job, refund it and tell its member who cancelled it.

        A queued job leaves the queue. A running one has its task cancelled: an API call in flight
        is cut off (its connection closed), which the provider may still bill, but the member's
        quota is refunded whatever happens, and a submitted edit is simply no longer polled. A
        job already being posted is left to finish. ``False`` when there was nothing to cancel.
        """
        progress = self._waiting.pop(job.id, None)
        task = self._running.get(job.id)
        if progress is None:
            stored = await self.db.jobs.get(job.id)
            if stored is None or not stored.is_active or stored.state is JobState.DELIVERING:
                return False
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        else:
            await progress.close()
        final = await self.db.jobs.fail(job.id, error=f"cancelled by {by}", state=JobState.CANCELLED)
        if final.state is not JobState.CANCELLED or final.error != f"cancelled by {by}":
            return False  # it ended some other way meanwhile
        who = "" if by == job.user_id else f" by <@{by}> (a server admin)"
        await self.tell(job, failure_embed(f"Cancelled{who}; nothing was charged.", job.options))  # job: has the token
        self.bot.audit.job_ended(final, Outcome.CANCELLED, f"cancelled by <@{by}>")
        log.info("job %s cancelled by %s (%s)", job.id, by, "queued" if progress else "running")
        self._announce_positions()
        return True

    # -- running ------------------------------------------------------------------------------

    async def _worker(self) -> None:
        while True:
            job_id = await self._queue.get()
            progress = self._waiting.pop(job_id, None)
            if progress is None:
                continue  # cancelled while waiting
            self._started_at[job_id] = time.monotonic()
            self._announce_positions()
            # issue 12: each job runs in its own task, so that cancel_job can stop it alone.
            task = asyncio.create_task(self.run(progress), name=f"job-{job_id[:8]}")
            self._running[job_id] = task
            try:
                await asyncio.wait([task])
                if not task.cancelled() and task.exception() is not None:  # a worker must outlive any one job
                    log.error("job %s: unexpected error; the worker goes on", job_id, exc_info=task.exception())
            except asyncio.CancelledError:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise
            finally:
                self._running.pop(job_id, None)
                self._started_at.pop(job_id, None)

    async def run(self, progress: Progress) -> None:
        """Run one job to its end; every failure is told, refunded and logged; never raises."""
        job = progress.job
        started = time.monotonic()
        slot = PipelineSlot(self._result_slots)
        try:
            if not await self.db.jobs.mark_running(job.id):
                log.info("job %s is no longer queued; skipped", job.id)
                return
            if job.kind is JobKind.GENERATE:
                images, usage = await self._generate(progress, slot)
            else:
                images, usage = await self._edit(progress, slot, resume_prediction=None)
            await slot.acquire(sum(len(image) for image in images))  # streamed answers bypass the hook
            await self.deliver(progress, images, usage, started)
        except asyncio.CancelledError:
            # Shutting down: leave the job as it is in the database for recovery.
            await asyncio.shield(progress.close())
            raise
        except Exception as error:
            await self.fail(progress, error, started)
        finally:
            slot.release()

    async def _generate(self, progress: Progress, slot: PipelineSlot) -> tuple[list[bytes], TokenUsage]:
        options = progress.options
        previews = (await self.bot.policies.get(progress.job.guild_id)).preview_images  # issue 12
        progress.update(phase="Generating…", clear_position=True)
        if previews and options.spec.streams:
            async def on_partial(index: int, data: bytes) -> None:
                try:
                    small = await imaging.make_preview(data)
                except Exception as error:  # a preview is cosmetic; the paid image is not
                    log.info("job %s: preview %d unusable (%s); skipped", progress.job.id, index + 1, error)
                    return
                progress.update(phase=f"Generating… preview {index + 1} of {previews}", preview=small)

            result = await self.api.generate_stream(options, partial_images=previews, on_partial=on_partial)
        else:
            result = await self.api.generate(options, before_body=slot.acquire)
        return list(result.images), result.usage

    async def _edit(self, progress: Progress, slot: PipelineSlot, *,
                    resume_prediction: str | None) -> tuple[list[bytes], TokenUsage]:
        job, options = progress.job, progress.options
        if resume_prediction is None:
            progress.update(phase="Sending your image to the editor…", clear_position=True)
            prediction = await self.api.submit_edit(options)
            await self.db.jobs.mark_submitted(job.id, prediction.id)
            log.info("job %s: prediction %s submitted", job.id, prediction.id)
            # The deadline counts from the submission: time spent in our queue is not the provider's.
            deadline = time.time() + self.settings.edit_timeout_s
        else:
            prediction = Prediction(id=resume_prediction, status=PredictionStatus.CREATED)
            stored = await self.db.jobs.get(job.id)
            submitted = (stored.started_at if stored else None) or job.created_at
            deadline = submitted + self.settings.edit_timeout_s
        prediction = await self.poll(prediction, deadline=deadline, progress=progress)
        if not prediction.outputs:
            raise MalformedResponse(f"prediction {prediction.id} completed without outputs")
        await slot.acquire()  # the outputs are downloaded into memory from here on
        outputs = [await self.api.fetch_output(o, max_bytes=MAX_OUTPUT_BYTES) for o in prediction.outputs]
        return outputs, TokenUsage()

    async def poll(self, prediction: Prediction, *, deadline: float, progress: Progress | None) -> Prediction:
        """Poll until the prediction is final, with backoff and jitter, bounded by ``deadline``."""
        delay = POLL_FIRST
        polls = 0
        while not prediction.status.final:
            remaining = deadline - time.time()
            if remaining <= 0 and polls:
                raise PredictionTimeout(self.settings.edit_timeout_s, prediction_id=prediction.id)
            # At least one poll, even past the deadline: a prediction resumed after a restart may
            # have finished while the bot was down.
            await asyncio.sleep(max(0.0, min(remaining, delay * random.uniform(0.85, 1.15))))
            delay = min(delay * POLL_FACTOR, POLL_MAX)
            try:
                # Bounded by the deadline too: the client's own retries may otherwise run past it.
                async with asyncio.timeout(max(remaining, 0) + POLL_MAX * 4):
                    prediction = await self.api.get_prediction(prediction.id)
            except TimeoutError:
                polls += 1
                log.info("prediction %s: a poll ran past the deadline", prediction.id)
                continue
            except (RateLimited, ProviderError, MalformedResponse, APIConnectionError, APITimeout) as error:
                polls += 1
                # The client already retried; keep polling until the deadline.
                log.info("prediction %s: poll failed (%s); polling on", prediction.id, error.admin_detail)
                if isinstance(error, RateLimited) and error.retry_after:
                    delay = max(delay, min(error.retry_after, 30.0))
                continue
            polls += 1
            if progress is not None and not prediction.status.final:
                label = "Editing… " + ("queued at the provider" if prediction.status in (
                    PredictionStatus.CREATED, PredictionStatus.QUEUED) else "in progress")
                progress.update(phase=label)
        if prediction.status is PredictionStatus.FAILED:
            raise PredictionFailed(prediction.error, prediction_id=prediction.id)
        log.debug("prediction %s completed after %d polls", prediction.id, polls)
        return prediction

    # -- delivering ---------------------------------------------------------------------------

    def token_alive(self, job: JobRecord) -> bool:
        """Whether the interaction token still works (it dies after 15 minutes)."""
        reply = job.reply
        if not reply.token or not reply.created_at or not reply.application_id:
            return False
        return time.time() < reply.created_at + TOKEN_LIFETIME - TOKEN_MARGIN

    def channel(self, job: JobRecord) -> discord.PartialMessageable:
        """The job's channel, for posts once the interaction token is dead."""
        return self.bot.get_partial_messageable(job.channel_id, guild_id=job.guild_id)

    def webhook(self, job: JobRecord) -> discord.Webhook:
        """The interaction's follow-up webhook, rebuilt from the database (works after restarts)."""
        data = {"id": job.reply.application_id, "type": 3, "token": job.reply.token}
        return discord.Webhook.from_state(data=data, state=self.bot._connection)  # type: ignore[arg-type]

    async def edit_original(self, job: JobRecord, **fields: Any) -> None:
        """Edit the job's interaction message (``@original``) while its token lives."""
        if not self.token_alive(job):
            return
        await self.webhook(job).edit_message("@original", **fields)  # type: ignore[arg-type]

    def upload_limit(self, job: JobRecord, *, via_channel: bool) -> int:
        """Bytes one file may have: the interaction's limit, or the server's for channel posts."""
        if via_channel:
            guild = self.bot.get_guild(job.guild_id) if job.guild_id else None
            return guild.filesize_limit if guild else DEFAULT_UPLOAD_LIMIT
        return job.reply.upload_limit

    async def deliver(self, progress: Progress, raw_images: list[bytes], usage: TokenUsage, started: float) -> None:
        """Check, fit and post the images; commit the quota for what was delivered."""
        job, options = progress.job, progress.options
        await self.db.jobs.mark_delivering(job.id)
        valid: list[tuple[bytes, imaging.ImageInfo]] = []
        for index, data in enumerate(raw_images):
            try:
                valid.append((data, await imaging.decode_result(data)))
            except Exception as error:
                log.warning("job %s: image %d from the API is unusable: %s", job.id, index + 1, error)
        count = len(raw_images)
        raw_images.clear()  # the caller's list: the raw bytes now live only in ``valid``
        if not valid:
            raise MalformedResponse(f"none of the {count} image(s) decoded")
        via_channel = not self.token_alive(job)
        limit = self.upload_limit(job, via_channel=via_channel)
        fitted = []
        for index, (data, info) in enumerate(valid, start=1):
            fitted.append(await imaging.fit_to_limit(data, limit=limit, basename=f"{job.id[:8]}-{index}", info=info))
        del valid, data
        await progress.close()
        # From the member's request, not this process's start: a resumed job keeps its true age.
        seconds = max(time.time() - job.created_at, time.monotonic() - started)
        quota_left = await self.quota_left(job)
        embed = result_embed(options, fitted, seconds=seconds, quota_left=quota_left, requester_id=job.user_id)
        try:
            message_ids = await self.post_with_fallback(job, embed, fitted, via_channel=via_channel)
        except discord.Forbidden as error:
            raise JobFailed(
                "I can't post in this channel: I need the View Channel, Send Messages, Attach Files "
                "and Embed Links permissions here. You were not charged.",
                admin_detail=f"Missing Permissions in channel {job.channel_id} ({error.code}: {error.text})",
            ) from error
        final = await self.db.jobs.finish(
            job.id, delivered=len(fitted), input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens, total_tokens=usage.total_tokens,
            result_message_ids=message_ids)
        self.bot.audit.job_ended(final, Outcome.DELIVERED)  # issue 12
        log.info("job %s done: user %s model %s %d/%d image(s) in %.1f s, %d tokens%s", job.id,
                 job.user_id, options.model, final.images_delivered, job.images_requested, seconds,
                 usage.total_tokens, " (via channel)" if via_channel else "")

    async def post_with_fallback(self, job: JobRecord, embed: discord.Embed,
                                 fitted: list[imaging.FittedImage], *, via_channel: bool) -> list[int]:
        """Post through the interaction; when Discord says its token is dead, through the channel."""
        if not via_channel:
            try:
                return await self.post(job, embed, fitted, via_channel=False)
            except discord.HTTPException as error:
                if error.code not in DEAD_TOKEN_CODES:
                    raise
                log.info("job %s: interaction token no longer works (%s); posting to the channel",
                         job.id, error.code)
        limit = self.upload_limit(job, via_channel=True)
        for index, image in enumerate(fitted):
            if len(image.data) > limit:
                fitted[index] = await imaging.fit_to_limit(image.data, limit=limit,
                                                           basename=image.filename.rsplit(".", 1)[0])
        ids = await self.post(job, embed, fitted, via_channel=True)
        await self.remove_progress_message(job)
        return ids

    async def remove_progress_message(self, job: JobRecord) -> None:
        """Delete the job's "thinking…" message once its news went to the channel instead.

        After 15 minutes the interaction token cannot edit it any more; without this the member
        would see it spin (or a stale queue position) forever above the result.
        """
        if not job.progress_message_id:
            return
        channel = self.channel(job)
        try:
            await channel.get_partial_message(job.progress_message_id).delete()
        except DISCORD_FAILURES as error:
            log.info("job %s: could not remove its progress message (%s)", job.id, error)

    async def post(self, job: JobRecord, embed: discord.Embed, fitted: Sequence[imaging.FittedImage],
                   *, via_channel: bool) -> list[int]:
        """Post the files, at most 10 a message, with the embed and the buttons on the first."""
        chunks = [fitted[i:i + MAX_FILES_PER_MESSAGE] for i in range(0, len(fitted), MAX_FILES_PER_MESSAGE)]
        ids: list[int] = []
        for number, chunk in enumerate(chunks):
            files = [discord.File(io.BytesIO(f.data), filename=f.filename) for f in chunk]
            first = number == 0
            kwargs: dict[str, Any] = {}
            if first:
                kwargs = {"embed": embed, "view": result_view(job.id)}
            if via_channel:
                channel = self.channel(job)
                content = f"<@{job.user_id}>, your image is ready." if first else None
                message = await channel.send(
                    content=content, files=files,
                    allowed_mentions=mention_only(job.user_id),
                    **kwargs)
            elif first:
                message = await self.webhook(job).edit_message(
                    "@original", content=None, attachments=files, **kwargs)  # type: ignore[arg-type]
            else:
                message = await self.webhook(job).send(files=files, wait=True)
            ids.append(message.id)
            if first:
                # Recorded at once: a restart before ``finish`` must know the result is out.
                await self.db.jobs.set_message(job.id, message.id)
        return ids

    async def quota_left(self, job: JobRecord) -> str | None:
        """``"7 of 20 images left today"`` for the result embed."""
        try:
            usage = await self.db.quotas.usage(user_id=job.user_id, guild_id=job.guild_id)
            limits = await self.db.quotas.effective_limits(
                user_id=job.user_id, guild_id=job.guild_id,
                role_ids=job.reply.role_ids)
        except Exception:
            log.exception("job %s: could not read the quota", job.id)
            return None
        if limits.user_limit is None:
            return "unlimited"
        left = max(0, limits.user_limit - usage.user_used)
        return f"{left} of {limits.user_limit} images left today"

    async def fail(self, progress: Progress, error: BaseException, started: float) -> None:
        """Refund, tell the member in one sentence, and log one line for the admin."""
        job, options = progress.job, progress.options
        await progress.close()
        if isinstance(error, BotError):
            text = str(error)
            detail = error.admin_detail or text
        else:
            text = GENERIC_FAILURE
            detail = f"{type(error).__name__}: {error}"
        detail = redact(detail, self.settings.secrets)  # stored in SQLite: no secret goes there
        final = await self.db.jobs.fail(job.id, error=detail)
        self.bot.audit.job_ended(final, Outcome.FAILED, text)  # issue 12
        seconds = time.monotonic() - started
        if isinstance(error, BotError):
            level = logging.ERROR if isinstance(error, APIError) and error.status in (401, 403) else logging.WARNING
            log.log(level, "job %s failed: user %s model %s after %.1f s: %s", job.id, job.user_id,
                    options.model, seconds, detail)
        else:
            log.error("job %s failed: user %s model %s after %.1f s", job.id, job.user_id,
                      options.model, seconds, exc_info=error)
        await self.tell(job, failure_embed(text, options))

    async def tell(self, job: JobRecord, embed: discord.Embed) -> None:
        """Replace the job's message with ``embed``; through the channel when the token died."""
        try:
            if self.token_alive(job):
                try:
                    await self.webhook(job).edit_message("@original", content=None, embed=embed,
                                                         attachments=[], view=None)  # type: ignore[arg-type]
                    return
                except discord.HTTPException as error:
                    if error.code not in DEAD_TOKEN_CODES:
                        raise
            channel = self.channel(job)
            await channel.send(content=f"<@{job.user_id}>", embed=embed,
                               allowed_mentions=mention_only(job.user_id))
            await self.remove_progress_message(job)
        except DISCORD_FAILURES as error:
            log.warning("job %s: could not tell user %s (%s)", job.id, job.user_id, error)

    # -- recovery -----------------------------------------------------------------------------

    async def recover(self) -> None:
        """Resume every unfinished job; never send a request to the API twice.

        One job's trouble (Discord unreachable while telling its member, say) is logged and does
        not stop the others or the bot's start.
        """
        active = await self.db.jobs.list_active()
        for job in active:
            try:
                await self._recover_one(job)
            except Exception:
                log.exception("recovery: job %s could not be resumed; it stays for the next start", job.id)
        if active:
            log.info("recovery: %d unfinished job(s) handled", len(active))

    async def _recover_one(self, job: JobRecord) -> None:
        options = job.options
        if job.state is JobState.DELIVERING and await self._already_posted(job):
            return
        if job.state is JobState.QUEUED:
            log.info("recovery: job %s was waiting; queued again", job.id)
            self.enqueue(job, options)
        elif job.kind is JobKind.EDIT and job.prediction_id:
            log.info("recovery: job %s polls prediction %s again", job.id, job.prediction_id)
            self._spawn(self._resume_prediction(Progress(self, job, options)), name=f"resume-{job.id[:8]}")
        else:
            log.warning("recovery: job %s (%s, %s) was cut off by a restart; refunded",
                        job.id, job.kind, job.state)
            final = await self.db.jobs.fail(job.id, error="interrupted by a restart", state=JobState.INTERRUPTED)
            self.bot.audit.job_ended(final, Outcome.INTERRUPTED, "interrupted by a restart")  # issue 12
            await self.tell(job, failure_embed(
                "The bot restarted while this image was being made, and the request may or may "
                "not have reached the image service, so I did not send it again. You were not "
                "charged; run the command again if you like.", options))

    async def _already_posted(self, job: JobRecord) -> bool:
        """Whether a job stopped while delivering had already posted its images (then: done).

        ``post`` records the result message's id as soon as it is out; failing that (a stop
        between the post and the record), the result files on the interaction's message tell,
        while its token lives. The number of images is read back from the message when possible.
        """
        message: discord.Message | discord.WebhookMessage | None = None
        try:
            if job.message_id:
                channel = self.channel(job)
                message = await channel.fetch_message(job.message_id)
            elif self.token_alive(job):
                message = await self.webhook(job).fetch_message("@original")  # type: ignore[arg-type]
        except DISCORD_FAILURES as error:
            log.info("recovery: job %s: could not read its message (%s)", job.id, error)
        posted = [a for a in message.attachments if a.filename.startswith(job.id[:8])] if message else []
        if not posted and not job.message_id:
            return False
        delivered = len(posted) or job.images_reserved
        ids = [job.message_id] if job.message_id else [message.id] if message else []
        final = await self.db.jobs.finish(job.id, delivered=delivered, result_message_ids=ids)
        self.bot.audit.job_ended(final, Outcome.DELIVERED)  # issue 12
        log.info("recovery: job %s had already posted %d image(s) before the restart; marked done",
                 job.id, delivered)
        return True

    async def _resume_prediction(self, progress: Progress) -> None:
        started = time.monotonic()
        slot = PipelineSlot(self._result_slots)
        self._running[progress.job.id] = asyncio.current_task()  # type: ignore[assignment]  # issue 12
        try:
            images, usage = await self._edit(progress, slot, resume_prediction=progress.job.prediction_id)
            await self.deliver(progress, images, usage, started)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            await self.fail(progress, error, started)
        finally:
            slot.release()
            self._running.pop(progress.job.id, None)  # issue 12


