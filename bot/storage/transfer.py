"""Copying a SQLite database into an empty PostgreSQL one (``python -m bot migrate-db --to URL``).

Both are opened through :meth:`Database.open`, so both are migrated to the same schema version
first; then every table of the bot's data (:data:`bot.storage.base.TABLES`) is copied in one
PostgreSQL transaction (all or nothing), ``jobs`` with its ``rowid`` so "oldest first" keeps its
tie-breaks, and the counts are compared table by table. A target that holds any row is refused:
merging two bots' data is not something a copy can do safely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.storage.base import TABLES, Database
from bot.storage.postgres import PostgresDatabase

log = logging.getLogger(__name__)

BATCH = 2_000
"""Rows read from SQLite and sent to PostgreSQL at a time."""

_CONVERT: dict[str, Callable[[Any], Any]] = {
    "bigint": int, "integer": int, "smallint": int, "double precision": float, "real": float,
    "text": str,
}


_WITHOUT_ROWID = {
    "quota_overrides": "guild_id, scope, target_id",
    "budget_overrides": "guild_id, scope, target_id, period",
    "blocked_terms": "guild_id, term_key",
    "meta": "key",
}
"""SQLite tables declared WITHOUT ROWID, read in the order of their primary key."""


class TransferRefused(Exception):
    """The copy cannot start (the target is not empty, the source is not SQLite, …); ``str`` says why."""


@dataclass(frozen=True)
class TableCount:
    """Rows of one table in the source and in the target after the copy."""

    table: str
    source: int
    target: int

    @property
    def same(self) -> bool:
        """Whether the target has exactly the source's rows."""
        return self.source == self.target


async def copy_into_empty(source: Database, target: PostgresDatabase) -> list[TableCount]:
    """Copy every table of ``source`` (SQLite) into ``target`` (empty PostgreSQL); the counts after.

    Raises :class:`TransferRefused` before writing anything when ``target`` holds any row or the
    two are not at the same schema version.
    """
    if source.backend != "sqlite":
        raise TransferRefused(f"the source must be a SQLite database, not {source.describe()}")
    if source.schema_version != target.schema_version:
        raise TransferRefused(f"the schema versions differ (SQLite {source.schema_version}, PostgreSQL "
                              f"{target.schema_version}); run the same version of the bot on both")
    before = await target.table_counts()
    filled = {table: count for table, count in before.items() if count}
    if filled:
        listed = ", ".join(f"{table}: {count}" for table, count in filled.items())
        raise TransferRefused(f"{target.describe()} is not empty ({listed}); migrate-db copies into an "
                              "empty database only, so nothing was copied")
    async with target.write(exclusive=True) as conn:
        types = await _column_types(conn)
        for table in TABLES:
            copied = await _copy_table(source, conn, table, types[table])
            log.info("migrate-db: %s: %d row(s) copied", table, copied)
        # New jobs on PostgreSQL continue after the copied ones' rowids.
        await conn.execute("SELECT setval(pg_get_serial_sequence('jobs', 'rowid'), "
                           "COALESCE((SELECT MAX(rowid) FROM jobs), 0) + 1, false)")
    source_counts = await source.table_counts()
    target_counts = await target.table_counts()
    return [TableCount(table, source_counts[table], target_counts[table]) for table in TABLES]


async def _column_types(conn: Any) -> dict[str, dict[str, str]]:
    """PostgreSQL's type of each column of the bot's tables."""
    rows = await conn.execute_fetchall(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema()")
    types: dict[str, dict[str, str]] = {table: {} for table in TABLES}
    for row in rows:
        if row["table_name"] in types:
            types[row["table_name"]][row["column_name"]] = row["data_type"]
    return types


async def _copy_table(source: Database, conn: Any, table: str, types: dict[str, str]) -> int:
    """Copy one table in batches (``rowid`` or primary key order); the number of rows copied."""
    select_rowid = "rowid AS rowid, " if "rowid" in types else ""
    copied = 0
    last = -1
    while True:
        if table in _WITHOUT_ROWID:
            rows = await source.fetchall(
                f"SELECT * FROM {table} ORDER BY {_WITHOUT_ROWID[table]} LIMIT ? OFFSET ?", (BATCH, copied))
        else:
            # Keyset paging on SQLite's rowid: each batch is one indexed range read.
            rows = await source.fetchall(
                f"SELECT rowid AS _order, {select_rowid}* FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, BATCH))
        if not rows:
            return copied
        columns = [c for c in rows[0].keys() if c != "_order" and c in types]
        converters = [_CONVERT.get(types[c], lambda v: v) for c in columns]
        records = [tuple(None if row[c] is None else convert(row[c]) for c, convert in zip(columns, converters,
                                                                                            strict=True))
                   for row in rows]
        await conn.copy_records(table, columns, records)
        copied += len(records)
        if table not in _WITHOUT_ROWID:
            last = rows[-1]["_order"]
