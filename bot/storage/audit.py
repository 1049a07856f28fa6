"""Audit log entries: one row per finished job (or refused request), posted at most once.

See :mod:`bot.audit` for the life of an entry and why it is posted exactly once.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.storage.jobs import JobRecord

if TYPE_CHECKING:
    from bot.storage.database import Database

_FINISHED = "('done', 'failed', 'interrupted', 'cancelled')"


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry: where it goes, its state, and what its message shows (``payload``)."""

    job_id: str
    guild_id: int
    log_channel_id: int
    state: str
    outcome: str
    detail: str | None
    payload: dict[str, Any]
    message_id: int | None = None
    created_at: float = 0.0
    claimed_at: float | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> AuditEntry:
        """Parse a row of ``audit_entries``."""
        return cls(
            job_id=row["job_id"], guild_id=row["guild_id"], log_channel_id=row["log_channel_id"],
            state=row["state"], outcome=row["outcome"], detail=row["detail"],
            payload=json.loads(row["payload"]), message_id=row["message_id"], created_at=row["created_at"],
            claimed_at=row["claimed_at"],
        )


class AuditStore:
    """Reads and state changes of ``audit_entries``; every change is guarded by the state."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, entry: AuditEntry) -> bool:
        """Store a new pending entry; ``False`` when the job already has one (it is never replaced)."""
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO audit_entries (job_id, guild_id, log_channel_id, state, outcome, "
                "detail, payload, created_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)",
                (entry.job_id, entry.guild_id, entry.log_channel_id, entry.outcome, entry.detail,
                 json.dumps(entry.payload), time.time()),
            )
            return cursor.rowcount > 0

    async def claim(self, job_id: str) -> AuditEntry | None:
        """Pending → claimed, atomically: only the caller that gets the entry back may post it."""
        async with self._db.write() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE audit_entries SET state = 'claimed', claimed_at = ? "
                "WHERE job_id = ? AND state = 'pending' RETURNING *",
                (time.time(), job_id),
            )
        return AuditEntry.from_row(rows[0]) if rows else None

    async def release(self, job_id: str) -> None:
        """Claimed → pending: a claim left by a stopped process, whose message is not out."""
        async with self._db.write() as conn:
            await conn.execute(
                "UPDATE audit_entries SET state = 'pending', claimed_at = NULL "
                "WHERE job_id = ? AND state = 'claimed'", (job_id,))

    async def mark_posted(self, job_id: str, message_id: int) -> None:
        """The entry's message is out."""
        async with self._db.write() as conn:
            await conn.execute(
                "UPDATE audit_entries SET state = 'posted', message_id = ?, posted_at = ? "
                "WHERE job_id = ? AND state IN ('pending', 'claimed')",
                (message_id, time.time(), job_id),
            )

    async def mark_failed(self, job_id: str, error: str) -> None:
        """The entry could not be posted and will not be tried again."""
        async with self._db.write() as conn:
            await conn.execute(
                "UPDATE audit_entries SET state = 'failed', detail = COALESCE(detail || ' / ', '') || ? "
                "WHERE job_id = ? AND state IN ('pending', 'claimed')",
                (f"not posted: {error}", job_id),
            )

    async def get(self, job_id: str) -> AuditEntry | None:
        """The entry of a job, or ``None``."""
        row = await self._db.fetchone("SELECT * FROM audit_entries WHERE job_id = ?", (job_id,))
        return None if row is None else AuditEntry.from_row(row)

    async def unfinished(self) -> list[AuditEntry]:
        """Entries pending or claimed (by a process that stopped), oldest first."""
        rows = await self._db.fetchall(
            "SELECT * FROM audit_entries WHERE state IN ('pending', 'claimed') ORDER BY created_at")
        return [AuditEntry.from_row(r) for r in rows]

    async def unlogged_jobs(self, guild_id: int, since: float, limit: int = 200) -> list[JobRecord]:
        """Jobs of a server that finished after ``since`` and have no entry (the process stopped
        between finishing them and recording the entry)."""
        rows = await self._db.fetchall(
            f"SELECT j.* FROM jobs j LEFT JOIN audit_entries a ON a.job_id = j.id "
            f"WHERE j.guild_id = ? AND j.state IN {_FINISHED} AND j.finished_at >= ? AND a.job_id IS NULL "
            f"ORDER BY j.finished_at LIMIT ?",
            (guild_id, since, limit),
        )
        return [JobRecord.from_row(r) for r in rows]
