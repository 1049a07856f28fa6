"""Taking a migrated test database back to an earlier schema, its data kept: what an older bot
left behind, for the tests of a migration's upgrade path."""

from __future__ import annotations

from bot.storage import Database
from bot.storage.database import SqliteDatabase


async def back_before_usage_days(db: Database) -> None:
    """Undo migration 0008 (``usage_days`` and its triggers): schema version 7, the jobs kept."""
    sqlite = isinstance(db, SqliteDatabase)
    async with db.write() as conn:
        for name in ("insert", "update", "delete"):
            await conn.execute(f"DROP TRIGGER jobs_usage_days_{name}" + ("" if sqlite else " ON jobs"))
        await conn.execute("DROP TABLE usage_days")
        if not sqlite:
            await conn.execute("DROP FUNCTION jobs_usage_days")
        await conn.execute("DELETE FROM schema_migrations WHERE version = 8")
