"""Jobs in the database: one row per /generate or /edit, from reservation to outcome.

A job is created by :meth:`bot.storage.quotas.QuotaStore.reserve` (the row *is* the quota
reservation) and then moves through the states below. Every transition is guarded in SQL
(``WHERE state IN (...)``), so a job that is already finished cannot be finished, failed or
refunded a second time, whichever task gets there first.

::

    queued ─► running ─► submitted ─► delivering ─► done
       │         │           │            │
       └─────────┴───────────┴────────────┴──► failed | interrupted | cancelled

Long because every SQL statement about a job's life lives here, one named method each, with the
record that a row parses into once.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.gptproto.registry import ImageOptions, JobKind

if TYPE_CHECKING:
    import aiosqlite

    from bot.storage.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class JobState(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    """Stored and reserved; waiting for a slot."""
    RUNNING = "running"
    """The API call is in flight (synchronous generation, or submitting an edit)."""
    SUBMITTED = "submitted"
    """The API accepted an asynchronous prediction; its id is known and it is being polled."""
    DELIVERING = "delivering"
    """Images are ready and being posted to Discord."""
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    """The bot stopped while the job ran and could not resume it."""
    CANCELLED = "cancelled"

    @classmethod
    def active(cls) -> frozenset[JobState]:
        """The states of a job that is not over yet (see :data:`ACTIVE_STATES`)."""
        return ACTIVE_STATES

    @property
    def is_active(self) -> bool:
        """Whether a job in this state still counts as queued or running."""
        return self in ACTIVE_STATES


ACTIVE_STATES: frozenset[JobState] = frozenset(
    {JobState.QUEUED, JobState.RUNNING, JobState.SUBMITTED, JobState.DELIVERING}
)
"""A job in one of these states is not over: it counts towards the member's running jobs."""

FAILED_STATES: frozenset[JobState] = frozenset({JobState.FAILED, JobState.INTERRUPTED, JobState.CANCELLED})
"""The states :meth:`JobStore.fail` may end a job in (all refund the whole reservation)."""


def _in(states: Sequence[JobState] | frozenset[JobState]) -> str:
    """A SQL ``IN`` list of states (constants of this module, never user input)."""
    return "(" + ", ".join(f"'{s.value}'" for s in sorted(states)) + ")"


_ACTIVE_SQL = _in(ACTIVE_STATES)

# Which states each mark_* may move a job from. Later states never go back to earlier ones,
# and a state may be set again (a retried submit replaces the prediction id).
_RUNNING_FROM = _in({JobState.QUEUED, JobState.RUNNING})
_SUBMITTED_FROM = _in({JobState.QUEUED, JobState.RUNNING, JobState.SUBMITTED})
_DELIVERING_FROM = _in({JobState.RUNNING, JobState.SUBMITTED, JobState.DELIVERING})
# A process moves a job forward only while it holds the job's lease (or the job has none yet):
# one that lost it to another process (it stalled past its lease) stops instead of sending twice.
_HELD = "(lease_owner IS NULL OR lease_owner = ?)"
_UNFINISHED = f"(state IN {_ACTIVE_SQL} OR notice IS NOT NULL)"
CHUNK = 500
"""Ids per ``IN (…)`` list."""


class JobNotFound(LookupError):
    """No job has this id (a bug in the caller, not something a member did)."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"no job with id {job_id!r}")
        self.job_id = job_id


class LeaseLost(Exception):
    """Another process holds this job now (see ``bot.jobs.leases``): stop working on it, don't fail it."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"job {job_id} is held by another process now")
        self.job_id = job_id


DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024
"""Bytes a file may have where Discord says nothing else (an unboosted server)."""


@dataclass(frozen=True)
class ReplyTarget:
    """Where and how a job answers its member, from the interaction that asked for it.

    While the interaction token lives (15 minutes from ``created_at``) the job edits the
    interaction's message through its webhook (``application_id`` and ``token``); after that it
    posts to ``channel_id``. ``upload_limit`` is the interaction's per-file limit and
    ``role_ids`` the member's roles when they asked (for their quota and budgets). ``locale`` and
    ``guild_locale`` are the member's and the server's Discord locales when they asked: the job
    speaks the member's language (``bot.i18n.language``), the audit log the server's.
    """

    channel_id: int
    application_id: int | None = None
    interaction_id: int | None = None
    token: str | None = None
    created_at: float | None = None
    upload_limit: int = DEFAULT_UPLOAD_LIMIT
    role_ids: tuple[int, ...] = ()
    locale: str | None = None
    guild_locale: str | None = None


@dataclass(frozen=True)
class JobRecord:
    """One row of ``jobs``, parsed once: its request as ``ImageOptions``, its reply target."""

    id: str
    kind: JobKind
    state: JobState
    user_id: int
    guild_id: int | None
    options: ImageOptions
    reply: ReplyTarget
    images_requested: int
    images_reserved: int
    images_delivered: int
    prediction_id: str | None
    message_id: int | None
    result_message_ids: list[int]
    input_tokens: int
    output_tokens: int
    total_tokens: int
    error: str | None
    quota_day: str
    created_at: float
    started_at: float | None
    finished_at: float | None
    parent_job_id: str | None
    progress_message_id: int | None = None
    notice: str | None = None
    """A sentence the member must still be told (the job ended without images); see ``fail``."""
    cost_estimate_micros: int = 0
    """The worst case reserved against money budgets when the job was accepted (micro-dollars)."""
    cost_micros: int = 0
    """What counts against budgets: the estimate while running, the actual cost once done, 0 once failed."""
    cost_basis: str | None = None
    """``usage``, ``estimate`` or ``per_image`` once done: where ``cost_micros`` came from."""
    text_input_tokens: int = 0
    image_input_tokens: int = 0

    @property
    def is_active(self) -> bool:
        """Whether the job is still queued, running, polled or being delivered."""
        return self.state in ACTIVE_STATES

    @property
    def model(self) -> str:
        """The model the job asked for."""
        return self.options.model

    @property
    def channel_id(self) -> int:
        """The channel the job was asked in."""
        return self.reply.channel_id

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> JobRecord:
        """Parse a ``SELECT * FROM jobs`` row."""
        options, reply = decode_request(row)
        return cls(
            id=row["id"],
            kind=JobKind(row["kind"]),
            state=JobState(row["state"]),
            user_id=row["user_id"],
            guild_id=row["guild_id"],
            options=options,
            reply=reply,
            images_requested=row["images_requested"],
            images_reserved=row["images_reserved"],
            images_delivered=row["images_delivered"],
            prediction_id=row["prediction_id"],
            message_id=row["message_id"],
            result_message_ids=[int(i) for i in json.loads(row["result_message_ids"])],
            input_tokens=row["input_tokens"],
            output_tokens=row["output_tokens"],
            total_tokens=row["total_tokens"],
            error=row["error"],
            quota_day=row["quota_day"],
            created_at=row["created_at"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            parent_job_id=row["parent_job_id"],
            progress_message_id=row["progress_message_id"],
            notice=row["notice"],
            cost_estimate_micros=row["cost_estimate_micros"],
            cost_micros=row["cost_micros"],
            cost_basis=row["cost_basis"],
            text_input_tokens=row["text_input_tokens"],
            image_input_tokens=row["image_input_tokens"],
        )


def encode_request(options: ImageOptions, reply: ReplyTarget) -> str:
    """The ``request`` column: the options, and the reply target's parts that have no column."""
    request = options.to_dict()
    request["ctx"] = {"upload_limit": reply.upload_limit, "role_ids": list(reply.role_ids),
                      "locale": reply.locale, "guild_locale": reply.guild_locale}
    return json.dumps(request)


def decode_request(row: sqlite3.Row) -> tuple[ImageOptions, ReplyTarget]:
    """The options and reply target of a ``jobs`` or ``intake`` row."""
    request = json.loads(row["request"])
    context = request.get("ctx") or {}
    reply = ReplyTarget(
        channel_id=row["channel_id"],
        application_id=row["application_id"],
        interaction_id=row["interaction_id"],
        token=row["interaction_token"],
        created_at=row["interaction_created_at"],
        upload_limit=int(context.get("upload_limit") or DEFAULT_UPLOAD_LIMIT),
        role_ids=tuple(int(r) for r in context.get("role_ids") or ()),
        locale=context.get("locale"),
        guild_locale=context.get("guild_locale"),
    )
    return ImageOptions.from_dict(request), reply


def utc_now(clock: Clock) -> datetime:
    """``clock()`` as an aware UTC datetime (a naive answer is taken to be UTC already)."""
    now = clock()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


class JobStore:
    """Reads and state changes of jobs. New jobs come from ``QuotaStore.reserve``."""

    def __init__(self, db: Database, clock: Clock = lambda: datetime.now(UTC)) -> None:
        self._db = db
        self._clock = clock

    def _timestamp(self) -> float:
        """Now, as epoch seconds from the injected clock."""
        return utc_now(self._clock).timestamp()

    # Reads ---------------------------------------------------------------------------------

    async def get(self, job_id: str) -> JobRecord | None:
        """The job with this id, or ``None``."""
        row = await self._db.fetchone("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return None if row is None else JobRecord.from_row(row)

    async def list_active(self) -> list[JobRecord]:
        """Jobs that are not over, oldest first: what a restart must resume or interrupt."""
        rows = await self._db.fetchall(f"SELECT * FROM jobs WHERE state IN {_ACTIVE_SQL} ORDER BY created_at, rowid")
        return [JobRecord.from_row(row) for row in rows]

    async def count_active_for_user(self, user_id: int) -> int:
        """How many jobs this user has queued or running, in every server and in DMs."""
        row = await self._db.fetchone(
            f"SELECT COUNT(*) FROM jobs WHERE user_id = ? AND state IN {_ACTIVE_SQL}", (user_id,)
        )
        return int(row[0]) if row is not None else 0

    async def list_for_member(self, user_id: int, guild_id: int | None, finished: int = 10) -> list[JobRecord]:
        """A member's jobs here (``/jobs``): every active one, oldest first, then the last
        ``finished`` ones, newest first."""
        place = "guild_id = ?" if guild_id is not None else "guild_id IS NULL"
        params: tuple[Any, ...] = (user_id, guild_id) if guild_id is not None else (user_id,)
        active = await self._db.fetchall(
            f"SELECT * FROM jobs WHERE user_id = ? AND {place} AND state IN {_ACTIVE_SQL} "
            "ORDER BY created_at, rowid", params)
        done = await self._db.fetchall(
            f"SELECT * FROM jobs WHERE user_id = ? AND {place} AND state NOT IN {_ACTIVE_SQL} "
            "ORDER BY COALESCE(finished_at, created_at) DESC, rowid DESC LIMIT ?", (*params, finished))
        return [JobRecord.from_row(r) for r in (*active, *done)]

    async def list_active_in_guild(self, guild_id: int, limit: int = 100) -> list[JobRecord]:
        """A server's queued and running jobs, oldest first (``/jobs server:True``)."""
        rows = await self._db.fetchall(
            f"SELECT * FROM jobs WHERE guild_id = ? AND state IN {_ACTIVE_SQL} ORDER BY created_at, rowid LIMIT ?",
            (guild_id, limit))
        return [JobRecord.from_row(r) for r in rows]

    # State changes -------------------------------------------------------------------------

    async def mark_running(self, job_id: str) -> bool:
        """Queued → running. ``False`` when the job is over already (e.g. cancelled), or another
        process holds it now: stop."""
        now = self._timestamp()
        return await self._move(
            job_id,
            JobState.RUNNING,
            f"UPDATE jobs SET state = 'running', started_at = COALESCE(started_at, ?) "
            f"WHERE id = ? AND state IN {_RUNNING_FROM} AND {_HELD}",
            (now, job_id, self._db.lease_owner),
        )

    async def mark_submitted(self, job_id: str, prediction_id: str) -> bool:
        """Record the prediction id to poll. ``False`` when the job is over already."""
        now = self._timestamp()
        return await self._move(
            job_id,
            JobState.SUBMITTED,
            f"UPDATE jobs SET state = 'submitted', prediction_id = ?, "
            f"started_at = COALESCE(started_at, ?) WHERE id = ? AND state IN {_SUBMITTED_FROM} AND {_HELD}",
            (prediction_id, now, job_id, self._db.lease_owner),
        )

    async def mark_delivering(self, job_id: str) -> bool:
        """Images are ready and being posted. ``False`` when the job is over already."""
        return await self._move(
            job_id,
            JobState.DELIVERING,
            f"UPDATE jobs SET state = 'delivering' WHERE id = ? AND state IN {_DELIVERING_FROM} AND {_HELD}",
            (job_id, self._db.lease_owner),
        )

    async def discard(self, job_id: str) -> bool:
        """Forget a job refused before anything was spent (it leaves no trace, not even a refund).

        Only a job still ``queued`` that never started can be discarded; ``True`` if it was.
        """
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM jobs WHERE id = ? AND state = 'queued' AND started_at IS NULL", (job_id,))
            return cursor.rowcount > 0

    async def set_message(self, job_id: str, message_id: int) -> None:
        """Remember the message that shows the job's progress and, later, its result."""
        if not await self._db.write_one("UPDATE jobs SET message_id = ? WHERE id = ? RETURNING id",
                                        (message_id, job_id)):
            raise JobNotFound(job_id)

    async def finish(
        self,
        job_id: str,
        *,
        delivered: int,
        input_tokens: int = 0,
        output_tokens: int = 0,
        total_tokens: int = 0,
        result_message_ids: Sequence[int] = (),
        cost_micros: int | None = None,
        cost_basis: str | None = None,
        text_input_tokens: int = 0,
        image_input_tokens: int = 0,
    ) -> JobRecord:
        """End the job as done, charging only the ``delivered`` images (the rest is refunded).

        Never charges more images than were reserved. The money reservation is settled to
        ``cost_micros`` (what the answer's usage says it cost); ``None`` charges the estimate
        reserved (an answer without usage, or a job found already posted after a restart).
        A job that is already over is left as it is (no second refund) and returned unchanged:
        compare the returned ``state`` and ``images_delivered`` with what you asked.
        """
        if delivered < 0:
            raise ValueError(f"delivered must be 0 or more, not {delivered}")
        if cost_micros is not None and cost_micros < 0:
            raise ValueError(f"cost_micros must be 0 or more, not {cost_micros}")
        basis = cost_basis or ("estimate" if cost_micros is None else "usage")
        now = self._timestamp()
        rows = await self._db.write_one(
            "UPDATE jobs SET state = 'done', images_delivered = ?, "
            "images_reserved = MIN(images_reserved, ?), "
            "input_tokens = ?, output_tokens = ?, total_tokens = ?, "
            "text_input_tokens = ?, image_input_tokens = ?, "
            "cost_micros = COALESCE(?, cost_estimate_micros), cost_basis = ?, "
            "result_message_ids = ?, message_id = COALESCE(message_id, ?), error = NULL, "
            "interaction_token = NULL, "
            "started_at = COALESCE(started_at, ?), finished_at = ? "
            f"WHERE id = ? AND state IN {_ACTIVE_SQL} RETURNING *",
            (
                delivered,
                delivered,
                input_tokens,
                output_tokens,
                total_tokens,
                text_input_tokens,
                image_input_tokens,
                cost_micros,
                basis,
                json.dumps([int(i) for i in result_message_ids]),
                int(result_message_ids[0]) if result_message_ids else None,
                now,
                now,
                job_id,
            ),
        )
        if rows:
            return JobRecord.from_row(rows[0])
        record = await self._get_or_raise(job_id)
        log.info("Job %s is already %s; finish ignored", job_id, record.state)
        return record

    async def fail(
        self,
        job_id: str,
        *,
        error: str,
        state: JobState = JobState.FAILED,
        notice: str | None = None,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        total_tokens: int | None = None,
    ) -> JobRecord:
        """End the job without images (failed, interrupted or cancelled) and refund it all.

        ``notice`` is the sentence the member must be told: it is stored with the refund, in the
        same transaction, and the interaction token is kept until :meth:`mark_told` clears both,
        so a restart in between still tells the member (see :meth:`list_untold`). Tokens, when
        given, record what the API charged although nothing was delivered. A job that is
        already over is left as it is (no second refund) and returned unchanged.
        Images and money both are refunded: nothing of a failed job counts against a quota or budget.
        """
        if state not in FAILED_STATES:
            raise ValueError(f"fail() ends a job as failed, interrupted or cancelled, not {state}")
        now = self._timestamp()
        rows = await self._db.write_one(
            "UPDATE jobs SET state = ?, images_reserved = 0, cost_micros = 0, error = ?, notice = ?, "
            "input_tokens = COALESCE(?, input_tokens), "
            "output_tokens = COALESCE(?, output_tokens), "
            "total_tokens = COALESCE(?, total_tokens), finished_at = ?, "
            # A finished job needs no credential to Discord, unless the member is still to be told.
            "interaction_token = CASE WHEN CAST(? AS TEXT) IS NULL THEN NULL ELSE interaction_token END "
            f"WHERE id = ? AND state IN {_ACTIVE_SQL} RETURNING *",
            (str(state), error, notice, input_tokens, output_tokens, total_tokens, now, notice, job_id),
        )
        if rows:
            return JobRecord.from_row(rows[0])
        record = await self._get_or_raise(job_id)
        log.info("Job %s is already %s; %s ignored", job_id, record.state, state)
        return record

    async def mark_told(self, job_id: str) -> None:
        """The member's message now shows the job's notice: forget it, and the token with it."""
        await self._db.write_one("UPDATE jobs SET notice = NULL, interaction_token = NULL WHERE id = ?", (job_id,))

    async def list_untold(self) -> list[JobRecord]:
        """Jobs that ended without images whose member was not told yet (a restart came between)."""
        rows = await self._db.fetchall("SELECT * FROM jobs WHERE notice IS NOT NULL ORDER BY created_at, rowid")
        return [JobRecord.from_row(row) for row in rows]

    # Leases (see bot.jobs.leases) -----------------------------------------------------------

    async def claim_expired(self, *, limit: int = 1_000_000, everything: bool = False) -> list[JobRecord]:
        """Take over unfinished jobs (and ended ones whose member is still to be told) whose lease
        ran out, oldest first; ``everything`` takes them whatever their lease (a SQLite file at
        start: no other process can hold them). Concurrent claimers get disjoint sets."""
        now = self._timestamp()
        expired = "" if everything else " AND (lease_expires_at IS NULL OR lease_expires_at < ?)"
        params: tuple[Any, ...] = (self._db.lease_owner, now + self._db.lease_seconds,
                                   *(() if everything else (now,)), limit)
        async with self._db.write() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE jobs SET lease_owner = ?, lease_expires_at = ? WHERE id IN ("
                f"SELECT id FROM jobs WHERE {_UNFINISHED}{expired} "
                f"ORDER BY created_at, rowid LIMIT ?{self._db.skip_locked}) RETURNING *",
                params,
            )
        records = [JobRecord.from_row(row) for row in rows]
        return sorted(records, key=lambda r: (r.created_at, r.id))

    async def renew_leases(self, job_ids: Collection[str]) -> set[str]:
        """Extend this process's lease on the jobs and received requests it holds (by id); return
        the ids another process holds now (this one stalled past its lease: it must let go)."""
        owner = self._db.lease_owner
        until = self._timestamp() + self._db.lease_seconds
        lost: set[str] = set()
        ids = sorted(job_ids)
        async with self._db.write() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                marks = ", ".join("?" for _ in chunk)
                await conn.execute(f"UPDATE jobs SET lease_expires_at = ? WHERE lease_owner = ? AND id IN ({marks})",
                                   (until, owner, *chunk))
                await conn.execute(
                    f"UPDATE intake SET lease_expires_at = ? WHERE lease_owner = ? AND job_id IN ({marks})",
                    (until, owner, *chunk))
                rows = await conn.execute_fetchall(
                    f"SELECT id FROM jobs WHERE id IN ({marks}) AND lease_owner IS NOT NULL AND lease_owner <> ? "
                    "UNION SELECT job_id FROM intake "
                    f"WHERE job_id IN ({marks}) AND lease_owner IS NOT NULL AND lease_owner <> ?",
                    (*chunk, owner, *chunk, owner))
                lost.update(row[0] for row in rows)
        return lost

    async def release_leases(self, job_ids: Collection[str]) -> None:
        """Let go of jobs and requests this process holds (a graceful stop): another process may
        take them over at its next sweep instead of waiting for the lease to run out."""
        owner = self._db.lease_owner
        ids = sorted(job_ids)
        async with self._db.write() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                marks = ", ".join("?" for _ in chunk)
                await conn.execute(f"UPDATE jobs SET lease_expires_at = 0 WHERE lease_owner = ? AND id IN ({marks})",
                                   (owner, *chunk))
                await conn.execute(
                    f"UPDATE intake SET lease_expires_at = 0 WHERE lease_owner = ? AND job_id IN ({marks})",
                    (owner, *chunk))

    # Helpers (also used by QuotaStore.reserve inside its transaction) ----------------------

    async def _move(self, job_id: str, target: JobState, sql: str, params: Sequence[Any]) -> bool:
        """Run a guarded state change; ``False`` when the job's state did not allow it.

        One statement on its own (``write_one``): its ``WHERE`` is the guard, so no transaction
        around it is needed, and the job is read back only when the guard refused.
        """
        if await self._db.write_one(f"{sql} RETURNING id", params):
            return True
        record = await self._get_or_raise(job_id)
        log.info("Job %s is %s; not moved to %s", job_id, record.state, target)
        return False

    async def _get_or_raise(self, job_id: str) -> JobRecord:
        """One job, read on its own; ``JobNotFound`` if there is none."""
        rows = await self._db.fetchall("SELECT * FROM jobs WHERE id = ?", (job_id,))
        if not rows:
            raise JobNotFound(job_id)
        return JobRecord.from_row(rows[0])

    @staticmethod
    async def _count_active(conn: aiosqlite.Connection, user_id: int) -> int:
        """A user's jobs under way, inside an open transaction."""
        rows = await conn.execute_fetchall(
            f"SELECT COUNT(*) FROM jobs WHERE user_id = ? AND state IN {_ACTIVE_SQL}", (user_id,)
        )
        return int(next(iter(rows))[0])

    async def _insert(self, conn: aiosqlite.Connection, job: JobRecord) -> None:
        """Store a new job inside an open transaction (the reservation's), held by this process."""
        await conn.execute(
            "INSERT INTO jobs (id, kind, state, user_id, guild_id, channel_id, application_id, "
            "interaction_id, interaction_token, interaction_created_at, request, model, "
            "images_requested, images_reserved, images_delivered, prediction_id, message_id, "
            "result_message_ids, input_tokens, output_tokens, total_tokens, error, quota_day, "
            "created_at, started_at, finished_at, parent_job_id, cost_estimate_micros, cost_micros, "
            "lease_owner, lease_expires_at, progress_message_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job.id,
                str(job.kind),
                str(job.state),
                job.user_id,
                job.guild_id,
                job.reply.channel_id,
                job.reply.application_id,
                job.reply.interaction_id,
                job.reply.token,
                job.reply.created_at,
                encode_request(job.options, job.reply),
                job.options.model,
                job.images_requested,
                job.images_reserved,
                job.images_delivered,
                job.prediction_id,
                job.message_id,
                json.dumps(job.result_message_ids),
                job.input_tokens,
                job.output_tokens,
                job.total_tokens,
                job.error,
                job.quota_day,
                job.created_at,
                job.started_at,
                job.finished_at,
                job.parent_job_id,
                job.cost_estimate_micros,
                job.cost_micros,
                self._db.lease_owner,
                self._timestamp() + self._db.lease_seconds,
                job.progress_message_id,
            ),
        )
