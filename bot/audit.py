"""The audit log: one message per finished job in the channel a server's admins chose.

The job runner calls :meth:`AuditLog.job_ended` when a job ends (delivered, failed, cancelled,
interrupted) and when a request is refused (blocked term, model not allowed, a limit). It returns
at once; the entry is recorded and posted by a background task, so the member's result never
waits for the log. Entries speak the server's language (its Discord locale when the member
asked, kept with the job), whatever the member's own; the reason is rendered when recorded.

Exactly once, across restarts
-----------------------------
An entry lives in ``audit_entries``, keyed by the job id, and moves
``pending → claimed → posted`` (or ``failed``), each step a guarded ``UPDATE``:

1. *Record.* ``INSERT OR IGNORE`` keyed by job id: however many times a job's end is reported
   (the runner, the start-up sweep below, a second process), there is one row.
2. *Claim.* ``pending → claimed`` in one statement; only the task that gets the row back posts.
3. *Post, then mark posted* with the message id.

A stop can fall between any two steps:

- before 1 (the job finished, the entry was never written): at start, :meth:`AuditLog.start`
  sweeps the jobs that finished since the log channel was chosen (at most a day back) and have
  no entry, and records them;
- between 1 and 2: the entry is ``pending``; at start it is claimed and posted;
- between 2 and 3 (the message may or may not be out): the entry is ``claimed``; at start the
  log channel's recent messages are searched for the job id, which every entry carries in its
  footer. Found: it is marked posted, nothing is sent. Not found: it is posted now. A claim
  this process made itself is never taken for a stopped one's: the start-up recovery of jobs
  reports their ends (and so claims entries) before this sweep runs, and such a claim's post may
  be in flight.

So an entry is never posted twice (a post is only ever made by the one claimer, and a claim left
by a dead process is only re-posted when the channel shows no such message), and never lost
while the channel works. The one gap: a message posted and then deleted by someone *while the
bot was down between steps 2 and 3* is posted again. A channel the bot cannot post in marks the
entry ``failed``, records the reason for ``/settings show``, and logs it once.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.gptproto.errors import shorten
from bot.gptproto.registry import ImageOptions, JobKind
from bot.i18n import Msg, language, text
from bot.money import format_usd
from bot.storage.audit import AuditEntry
from bot.storage.jobs import JobRecord, JobState

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

POST_TIMEOUT = 30.0
"""Seconds one Discord call of the audit log may take."""
POST_TRIES = 3
HISTORY_SEARCHED = 100
"""Recent messages of the log channel searched for an entry claimed before a stop."""
SWEEP_WINDOW = 24 * 3600
"""How far back the start-up sweep looks for finished jobs without an entry."""
CLAIM_STALE = POST_TIMEOUT * POST_TRIES + 60
"""Seconds after which a claim is surely its stopped claimer's (it posts within this, or gives up).
Where several processes share the database, younger claims may be another live process's."""
PROMPT_SHOWN = 300
FOOTER_PREFIX = "job "


class Outcome(StrEnum):
    """How a job ended, as the audit log (and the metrics) name it."""

    DELIVERED = "delivered"
    FAILED = "failed"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


_OUTCOME_OF_STATE = {JobState.DONE: Outcome.DELIVERED, JobState.FAILED: Outcome.FAILED,
                     JobState.CANCELLED: Outcome.CANCELLED, JobState.INTERRUPTED: Outcome.INTERRUPTED}
_COLOURS = {Outcome.DELIVERED: discord.Colour.green(), Outcome.REFUSED: discord.Colour.orange()}


@dataclass(frozen=True)
class Refusal:
    """A request refused before it became a job (it has no row in ``jobs``)."""

    id: str
    kind: JobKind
    user_id: int
    guild_id: int | None
    channel_id: int
    options: ImageOptions
    guild_locale: str | None = None

    @classmethod
    def of(cls, interaction: discord.Interaction, kind: JobKind, options: ImageOptions) -> Refusal:
        """Describe a refused interaction; its id is unique (one refusal per interaction)."""
        return cls(id=f"refused-{interaction.id or uuid.uuid4().hex}", kind=JobKind(kind),
                   user_id=interaction.user.id, guild_id=interaction.guild_id,
                   channel_id=interaction.channel_id or 0, options=options,
                   guild_locale=str(interaction.guild_locale) if interaction.guild_locale else None)


def server_language(job: JobRecord | Refusal) -> str:
    """The language of the job's server (its Discord locale when the job was asked for)."""
    return language(job.guild_locale if isinstance(job, Refusal) else job.reply.guild_locale)


def entry_payload(job: JobRecord | Refusal, cost_micros: int | None) -> dict[str, Any]:
    """What the entry's message shows, frozen when the job ended."""
    options = job.options
    payload: dict[str, Any] = {
        "lang": server_language(job),
        "user_id": job.user_id, "channel_id": job.channel_id,
        "kind": str(job.kind), "prompt": shorten(options.prompt, PROMPT_SHOWN), "model": options.model,
        "size": options.size or "auto", "images_requested": options.n, "images_delivered": 0,
        "cost_micros": cost_micros, "message_id": None,
    }
    if isinstance(job, JobRecord):
        payload.update(images_requested=job.images_requested, images_delivered=job.images_delivered,
                       message_id=job.message_id or (job.result_message_ids[0] if job.result_message_ids else None),
                       created_at=job.created_at, finished_at=job.finished_at)
    return payload


def entry_embed(entry: AuditEntry) -> discord.Embed:
    """The audit message of one entry."""
    p = entry.payload
    lang = str(p.get("lang") or "en")
    outcome = Outcome(entry.outcome)
    command = "generate" if p["kind"] == "generate" else "edit"
    embed = discord.Embed(title=text(lang, "audit-title", outcome=str(outcome), command=command),
                          description="> " + str(p["prompt"]).replace("`", "ʼ"),
                          colour=_COLOURS.get(outcome, discord.Colour.red()))
    embed.add_field(name=text(lang, "audit-member"), value=f"<@{p['user_id']}>")
    embed.add_field(name=text(lang, "audit-channel"), value=f"<#{p['channel_id']}>")
    embed.add_field(name=text(lang, "field-model"), value=str(p["model"]))
    embed.add_field(name=text(lang, "field-size"), value=str(p["size"]).replace("x", "×"))
    embed.add_field(name=text(lang, "audit-images"),
                    value=text(lang, "audit-images-value", delivered=p["images_delivered"],
                               requested=p["images_requested"]))
    cost = p.get("cost_micros")
    embed.add_field(name=text(lang, "field-cost"), value="—" if cost is None else format_usd(int(cost)))
    if entry.detail:
        embed.add_field(name=text(lang, "audit-why" if outcome is not Outcome.DELIVERED else "audit-note"),
                        value=shorten(entry.detail, 1000), inline=False)
    if p.get("message_id") and outcome is Outcome.DELIVERED:
        link = f"https://discord.com/channels/{entry.guild_id}/{p['channel_id']}/{p['message_id']}"
        embed.add_field(name=text(lang, "audit-result"), value=text(lang, "audit-open-result", link=link),
                        inline=False)
    embed.set_footer(text=f"{FOOTER_PREFIX}{entry.job_id}")
    return embed


class AuditLog:
    """Posts audit entries in the background; see the module docstring for the guarantees."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        self._tasks: set[asyncio.Task[None]] = set()
        #: Job ids whose entry this process is claiming or posting now (with how many tasks try):
        #: such a claim is not a stopped process's.
        self._claimed: collections.Counter[str] = collections.Counter()

    # -- what the runner calls ------------------------------------------------------------------

    def job_ended(self, job: JobRecord | Refusal, outcome: Outcome | str, detail: str | Msg | None = None) -> None:
        """Report a job's end (or a refusal); returns at once, the entry is posted in the background.

        A ``Msg`` detail is rendered in the server's language; a ``str`` is shown as it is.
        """
        if job.guild_id is None:
            return  # direct messages have no server, so no log channel
        known = self.bot.policies.known(job.guild_id)
        if known is not None and known.log_channel_id is None:
            return  # no log channel there (known without a task per job, as most servers have none)
        if isinstance(detail, Msg):
            detail = detail.render(server_language(job))
        self._spawn(self._record_and_post(job, Outcome(outcome), detail), f"audit-{job.id[:8]}")

    # -- life -----------------------------------------------------------------------------------

    async def start(self) -> None:
        """Finish what a stop left (see the module docstring), in the background."""
        self._spawn(self._recover(), "audit-recover")

    async def close(self) -> None:
        """Stop posting; unfinished entries stay in the database for the next start."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_idle(self) -> None:
        """Wait until no entry is being recorded or posted (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- recording and posting -------------------------------------------------------------------

    async def _record_and_post(self, job: JobRecord | Refusal, outcome: Outcome, detail: str | None) -> None:
        try:
            policy = await self.bot.policies.get(job.guild_id)
            if policy.log_channel_id is None:
                return
            # What the job cost (its actual cost once delivered, nothing once refunded).
            cost = job.cost_micros if isinstance(job, JobRecord) else None
            entry = AuditEntry(job_id=job.id, guild_id=job.guild_id or 0, log_channel_id=policy.log_channel_id,
                               state="pending", outcome=str(outcome), detail=detail,
                               payload=entry_payload(job, cost))
            if await self.bot.db.audit.record(entry):
                await self._post(job.id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("audit: the entry of job %s could not be recorded", job.id)

    async def _post(self, job_id: str) -> None:
        """Claim a pending entry and post it; only the claimer posts."""
        # Known as this process's before the claim is written, so the sweep can never see it unknown.
        self._claimed[job_id] += 1
        try:
            entry = await self.bot.db.audit.claim(job_id)
            if entry is not None:
                await self._post_claimed(entry)
        finally:
            # Posted, failed, or (on an error) left claimed for the next start, as a stopped claim is.
            self._claimed[job_id] -= 1
            if not self._claimed[job_id]:
                del self._claimed[job_id]

    async def _post_claimed(self, entry: AuditEntry) -> None:
        job_id = entry.job_id
        channel = self.bot.get_partial_messageable(entry.log_channel_id, guild_id=entry.guild_id)
        error_text = "unknown error"
        for attempt in range(1, POST_TRIES + 1):
            try:
                async with asyncio.timeout(POST_TIMEOUT):
                    message = await channel.send(embed=entry_embed(entry),
                                                 allowed_mentions=discord.AllowedMentions.none())
            except (discord.Forbidden, discord.NotFound) as error:
                error_text = f"{error.status} {error.text or type(error).__name__}"
                break  # no use trying again: the channel is gone or closed to the bot
            except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as error:
                error_text = f"{type(error).__name__}: {error}"
                await asyncio.sleep(attempt)
                continue
            await self.bot.db.audit.mark_posted(job_id, message.id)
            if await self.bot.db.settings.set_log_error(entry.guild_id, entry.log_channel_id, None):
                self.bot.policies.forget(entry.guild_id)
                log.info("audit: posting to channel %s of guild %s works again", entry.log_channel_id,
                         entry.guild_id)
            return
        await self.bot.db.audit.mark_failed(job_id, error_text)
        await self._channel_failed(entry, error_text)

    async def _channel_failed(self, entry: AuditEntry, error_text: str) -> None:
        """Remember why the log channel failed (for ``/settings show``); log it once."""
        # The reason as Discord gave it; ``/settings show`` puts it in a sentence in the admin's language.
        if await self.bot.db.settings.set_log_error(entry.guild_id, entry.log_channel_id, error_text):
            self.bot.policies.forget(entry.guild_id)
            log.warning("audit: cannot post in log channel %s of guild %s (%s); entries there are skipped "
                        "until it works", entry.log_channel_id, entry.guild_id, error_text)

    # -- recovery ---------------------------------------------------------------------------------

    async def _recover(self) -> None:
        try:
            for settings in await self.bot.db.settings.log_channels():
                since = max(settings.log_set_at or 0.0, time.time() - SWEEP_WINDOW)
                for job in await self.bot.db.audit.unlogged_jobs(settings.guild_id, since):
                    log.info("audit: job %s finished before a stop without an entry; recording it", job.id)
                    await self._record_and_post(job, _OUTCOME_OF_STATE.get(job.state, Outcome.FAILED), job.error)
            for entry in await self.bot.db.audit.unfinished():
                if entry.job_id in self._claimed:
                    continue  # this process's own claim, its post maybe in flight: not a stopped one's
                if (entry.state == "claimed" and not self.bot.db.single_process
                        and (entry.claimed_at or 0) > time.time() - CLAIM_STALE):
                    continue  # possibly another process posting it right now
                if entry.state == "claimed" and await self._already_posted(entry):
                    continue
                await self.bot.db.audit.release(entry.job_id)
                await self._post(entry.job_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("audit: recovery failed; unposted entries stay for the next start")

    async def _already_posted(self, entry: AuditEntry) -> bool:
        """Whether the log channel already shows this entry (a stop came between post and record)."""
        channel = self.bot.get_partial_messageable(entry.log_channel_id, guild_id=entry.guild_id)
        footer = f"{FOOTER_PREFIX}{entry.job_id}"
        me = self.bot.user.id if self.bot.user else None
        try:
            async with asyncio.timeout(POST_TIMEOUT):
                async for message in channel.history(limit=HISTORY_SEARCHED):
                    if message.author.id == me and any(e.footer.text == footer for e in message.embeds):
                        await self.bot.db.audit.mark_posted(entry.job_id, message.id)
                        log.info("audit: entry of job %s was posted before the stop; not posted again",
                                 entry.job_id)
                        return True
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as error:
            # Cannot tell: not posting keeps "never twice"; the entry stays claimed for next time.
            log.warning("audit: could not read log channel %s to check job %s (%s); left for the next start",
                        entry.log_channel_id, entry.job_id, error)
            return True
        return False
