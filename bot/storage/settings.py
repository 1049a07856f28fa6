"""Per-server settings set by admins (``/settings``) and their blocked terms (``/blocklist``).

A missing row, or a ``NULL`` column, means "the bot's default (from the environment) applies";
:class:`GuildSettings` keeps that distinction so ``/settings show`` can say where each value
comes from.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.blocklist import MAX_TERMS, term_key
from bot.errors import ValidationError

if TYPE_CHECKING:
    from bot.storage.database import Database

_UNSET = object()


@dataclass(frozen=True)
class GuildSettings:
    """What a server's admins set; ``None`` everywhere means the bot's default applies."""

    guild_id: int
    default_model: str | None = None
    allowed_models: tuple[str, ...] | None = None
    log_channel_id: int | None = None
    log_set_at: float | None = None
    log_error: str | None = None
    moderation: str | None = None
    previews: bool | None = None
    updated_by: int | None = None
    updated_at: float | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> GuildSettings:
        """Parse a row of ``guild_settings``."""
        allowed = row["allowed_models"]
        return cls(
            guild_id=row["guild_id"],
            default_model=row["default_model"],
            allowed_models=None if allowed is None else tuple(json.loads(allowed)),
            log_channel_id=row["log_channel_id"],
            log_set_at=row["log_set_at"],
            log_error=row["log_error"],
            moderation=row["moderation"],
            previews=None if row["previews"] is None else bool(row["previews"]),
            updated_by=row["updated_by"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True)
class BlockedTerm:
    """One blocked word or phrase of a server."""

    term: str
    added_by: int
    added_at: float


class SettingsStore:
    """Reads and writes of ``guild_settings`` and ``blocked_terms``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, guild_id: int) -> GuildSettings:
        """A server's settings (all defaults when it never changed any)."""
        row = await self._db.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return GuildSettings(guild_id) if row is None else GuildSettings.from_row(row)

    async def update(
        self,
        guild_id: int,
        *,
        by: int,
        default_model: object = _UNSET,
        allowed_models: object = _UNSET,
        log_channel_id: object = _UNSET,
        moderation: object = _UNSET,
        previews: object = _UNSET,
    ) -> GuildSettings:
        """Change the given columns (``None`` resets one to the bot's default); returns the row.

        Choosing a log channel (or turning it off) records when, and forgets the last posting
        error, which belonged to the old channel.
        """
        now = time.time()
        changes: dict[str, object] = {}
        if default_model is not _UNSET:
            changes["default_model"] = default_model
        if allowed_models is not _UNSET:
            changes["allowed_models"] = None if allowed_models is None else json.dumps(list(allowed_models))
        if log_channel_id is not _UNSET:
            changes.update(log_channel_id=log_channel_id, log_set_at=now, log_error=None)
        if moderation is not _UNSET:
            changes["moderation"] = moderation
        if previews is not _UNSET:
            changes["previews"] = None if previews is None else int(bool(previews))
        changes.update(updated_by=by, updated_at=now)
        columns = ", ".join(changes)
        marks = ", ".join("?" for _ in changes)
        updates = ", ".join(f"{c} = excluded.{c}" for c in changes)
        async with self._db.write() as conn:
            rows = await conn.execute_fetchall(
                f"INSERT INTO guild_settings (guild_id, {columns}) VALUES (?, {marks}) "
                f"ON CONFLICT (guild_id) DO UPDATE SET {updates} RETURNING *",
                (guild_id, *changes.values()),
            )
        return GuildSettings.from_row(next(iter(rows)))

    async def set_log_error(self, guild_id: int, channel_id: int, error: str | None) -> bool:
        """Record (or clear, with ``None``) why posting to the log channel failed.

        Only while that channel is still the log channel; says whether the stored text changed,
        so the caller logs a failure once, not once per job.
        """
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "UPDATE guild_settings SET log_error = ? WHERE guild_id = ? AND log_channel_id = ? "
                "AND log_error IS NOT ?",
                (error, guild_id, channel_id, error),
            )
            return cursor.rowcount > 0

    async def log_channels(self) -> list[GuildSettings]:
        """Every server with an audit log channel."""
        rows = await self._db.fetchall("SELECT * FROM guild_settings WHERE log_channel_id IS NOT NULL")
        return [GuildSettings.from_row(r) for r in rows]

    # Blocked terms -------------------------------------------------------------------------

    async def terms(self, guild_id: int) -> list[BlockedTerm]:
        """A server's blocked terms, alphabetically."""
        rows = await self._db.fetchall(
            "SELECT term, added_by, added_at FROM blocked_terms WHERE guild_id = ? ORDER BY term_key",
            (guild_id,),
        )
        return [BlockedTerm(r["term"], r["added_by"], r["added_at"]) for r in rows]

    async def add_term(self, guild_id: int, term: str, *, by: int, limit: int | None = None) -> bool:
        """Block ``term`` (already checked); ``False`` if an equivalent term was there already.

        Raises ``ValidationError`` when the server already has ``limit`` terms (``MAX_TERMS``).
        """
        limit = MAX_TERMS if limit is None else limit
        key = term_key(term)
        async with self._db.write(exclusive=True) as conn:  # the count and the insert, one at a time
            rows = await conn.execute_fetchall(
                "SELECT COUNT(*), SUM(term_key = ?) FROM blocked_terms WHERE guild_id = ?", (key, guild_id))
            count, existing = next(iter(rows))
            if existing:
                return False
            if count >= limit:
                raise ValidationError(msg_id="terms-full", args={"count": count, "limit": limit})
            await conn.execute(
                "INSERT INTO blocked_terms (guild_id, term_key, term, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
                (guild_id, key, term, by, time.time()),
            )
        return True

    async def add_terms(self, guild_id: int, terms: Sequence[str], *, by: int) -> int:
        """Block many terms at once (tests and imports); returns how many were new. No limit check."""
        now = time.time()
        async with self._db.write() as conn:
            cursor = await conn.executemany(
                "INSERT OR IGNORE INTO blocked_terms (guild_id, term_key, term, added_by, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(guild_id, term_key(t), t, by, now) for t in terms],
            )
            return cursor.rowcount

    async def remove_term(self, guild_id: int, term: str) -> bool:
        """Unblock ``term`` (or any term with the same letters); says whether one was there."""
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM blocked_terms WHERE guild_id = ? AND term_key = ?", (guild_id, term_key(term)))
            return cursor.rowcount > 0
