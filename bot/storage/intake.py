"""Requests received but not yet stored as a job: the record that must exist before Discord is answered.

A member's request is written here before the bot's first answer to Discord (the "thinking…"),
so a process killed between that answer and the job's reservation leaves a row that the next
start finds and finishes (:meth:`IntakeStore.pending`). ``QuotaStore.reserve`` removes the row in
the transaction that stores the job, so a request is always in exactly one of the two tables.

Commits are grouped: requests that arrive while a write is in flight are written together in
the next statement (one ``INSERT`` of several rows, atomic, committed before ``add`` returns), so a
burst of a hundred commands costs a few commits, not a hundred, and the first answer to Discord
stays fast. A lone request waits for no one: on PostgreSQL its record is one round trip.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage.jobs import ReplyTarget, decode_request, encode_request, utc_now

if TYPE_CHECKING:
    from bot.storage.database import Clock, Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intake:
    """A request as received: enough to store it as a job later, or to answer its member."""

    job_id: str
    kind: JobKind
    user_id: int
    guild_id: int | None
    options: ImageOptions
    reply: ReplyTarget
    parent_job_id: str | None
    created_at: float

    @property
    def channel_id(self) -> int:
        """The channel the request came from."""
        return self.reply.channel_id

    @property
    def progress_message_id(self) -> int | None:
        """Unknown until the request is a job (``None``)."""
        return None


class IntakeStore:
    """Writes received requests (grouped into few statements), and lists the unfinished ones."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._pending: list[tuple[Intake, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    def now(self) -> float:
        """Now, as epoch seconds from the injected clock."""
        return utc_now(self._clock).timestamp()

    async def add(self, intake: Intake) -> None:
        """Return once ``intake`` is committed (with whatever else arrived meanwhile)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((intake, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_pending(), name="intake-writer")
        # Shielded: a caller cancelled while waiting must not cancel the others' statement.
        await asyncio.shield(future)

    async def _write_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:ROWS_PER_INSERT], self._pending[ROWS_PER_INSERT:]
            try:
                lease = (self._db.lease_owner, self.now() + self._db.lease_seconds)
                rows = [(*_row(intake), *lease) for intake, _ in batch]
                # Padded to a power of two with copies of the last request (ignored as the same
                # request again): a database connection keeps every statement it has prepared, so
                # at most 7 different ones.
                rows += [rows[-1]] * ((1 << (len(rows) - 1).bit_length()) - len(rows))
                params = [value for row in rows for value in row]
                # Urgent: the members are waiting for their first answer, behind nothing else.
                await self._db.write_one(_insert_sql(len(rows)), params, urgent=True)
            except BaseException as error:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error if isinstance(error, Exception) else RuntimeError(error))
                if not isinstance(error, Exception):
                    raise
                continue
            for _, future in batch:
                if not future.done():
                    future.set_result(None)
            if len(batch) > 1:
                log.debug("intake: %d requests in one commit", len(batch))

    async def discard(self, job_id: str) -> None:
        """Forget a request that was refused (the member has been told) or never acknowledged."""
        await self._db.write_one("DELETE FROM intake WHERE job_id = ?", (job_id,))

    async def pending(self) -> list[Intake]:
        """Requests received before a restart that never became a job, oldest first."""
        return _parse(await self._db.fetchall("SELECT * FROM intake ORDER BY created_at"))

    async def claim_expired(self, *, limit: int = 1_000_000, everything: bool = False) -> list[Intake]:
        """Take over received requests whose lease ran out (their process stopped before storing them
        as jobs), oldest first; ``everything`` whatever their lease (see ``JobStore.claim_expired``)."""
        now = self.now()
        expired = "" if everything else "WHERE lease_expires_at IS NULL OR lease_expires_at < ? "
        params = (self._db.lease_owner, now + self._db.lease_seconds, *(() if everything else (now,)), limit)
        async with self._db.write() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE intake SET lease_owner = ?, lease_expires_at = ? WHERE job_id IN ("
                f"SELECT job_id FROM intake {expired}ORDER BY created_at LIMIT ?{self._db.skip_locked}) RETURNING *",
                params,
            )
        return sorted(_parse(rows), key=lambda i: (i.created_at, i.job_id))


def _parse(rows: list[Any]) -> list[Intake]:
    """Rows of ``intake`` as :class:`Intake`."""
    found = []
    for row in rows:
        options, reply = decode_request(row)
        found.append(Intake(job_id=row["job_id"], kind=JobKind(row["kind"]), user_id=row["user_id"],
                            guild_id=row["guild_id"], options=options, reply=reply,
                            parent_job_id=row["parent_job_id"], created_at=row["created_at"]))
    return found


ROWS_PER_INSERT = 64
"""Requests in one statement, at most (a power of two): 14 parameters each, under the 999 parameters
of a statement that SQLite allowed before 3.32 (today 32,766; asyncpg 32,767)."""


@functools.cache
def _insert_sql(rows: int) -> str:
    """One ``INSERT`` of ``rows`` requests (each of the few lengths is built once)."""
    return (
        "INSERT OR IGNORE INTO intake (job_id, kind, user_id, guild_id, channel_id, application_id, "
        "interaction_id, interaction_token, interaction_created_at, request, parent_job_id, created_at, "
        "lease_owner, lease_expires_at) VALUES "
        + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * rows)
    )


def _row(intake: Intake) -> tuple[object, ...]:
    reply = intake.reply
    return (intake.job_id, str(intake.kind), intake.user_id, intake.guild_id, reply.channel_id,
            reply.application_id, reply.interaction_id, reply.token, reply.created_at,
            encode_request(intake.options, reply), intake.parent_job_id, intake.created_at)
