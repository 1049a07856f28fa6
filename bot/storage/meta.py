"""Small facts the bot keeps between runs (the ``meta`` table)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.storage.database import Database


class MetaStore:
    """Small facts kept between runs, such as the hash of the last synced slash commands."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        """The value stored under ``key``, or ``None``."""
        row = await self._db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else row["value"]

    async def set(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        async with self._db.write() as conn:
            await conn.execute(
                "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (key, value, time.time()),
            )

    async def delete(self, key: str) -> bool:
        """Forget ``key``; says whether it was there."""
        async with self._db.write() as conn:
            cursor = await conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            return cursor.rowcount > 0
