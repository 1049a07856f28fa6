"""The SQLite database: opening it, migrating it, and running statements safely from asyncio.

One aiosqlite connection serves the whole bot. aiosqlite runs that connection on one worker
thread, so statements never run at the same time, but the awaits *between* statements of a
transaction do interleave with other tasks. Two kinds of work therefore reach the connection:

- **Trips** (:mod:`bot.storage.trips`): one statement (``fetchall``, ``write_one``) or one whole
  transaction function (``transaction``) that runs start to end on the connection's thread.
  Nothing can come between its parts, so trips need no lock of their own; they are sent in
  batches, each batch one write transaction.
- **Sessions**: several statements with awaits between them (:meth:`SqliteDatabase.write`, a
  lock plus ``BEGIN IMMEDIATE`` … ``COMMIT``; :meth:`SqliteDatabase.read`). A session holds the
  lock, and so does each batch of trips while it runs: no trip runs inside a session, so no read
  sees the half-done work of a transaction that may still roll back. The lock
  (:mod:`bot.storage.lock`) serves urgent sessions first, then batches, then the other sessions.

``BEGIN IMMEDIATE`` and ``busy_timeout`` cover a second process on the same file (``python -m bot
check`` while the bot runs).

``Database`` (:mod:`bot.storage.base`) is what the rest of the bot names; ``Database.open`` gives
this class for a ``sqlite:///`` URL and :class:`bot.storage.postgres.PostgresDatabase` for a
``postgresql://`` one. The SQL of the stores lives in their modules (``jobs.py``, ``quotas.py``,
``intake.py``, ``settings.py``, ``audit.py``, ``meta.py``); this module holds only the statements
that open, migrate and describe a SQLite file, and the sessions.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.storage.base import Clock, Database
from bot.storage.lock import PriorityLock
from bot.storage.postgres import PostgresDatabase
from bot.storage.quotas import Limits
from bot.storage.schema import Migration, load_migrations, split_statements
from bot.storage.trips import LONG, SHORT, URGENT, Trips, in_body, statement
from bot.storage.urls import DatabaseURL, parse_database_url

__all__ = ["Database", "PostgresDatabase", "SqliteDatabase", "load_migrations", "parse_database_url",
           "split_statements"]

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5_000
"""How long a statement waits for another process's write lock before failing."""


class SqliteDatabase(Database):
    """The bot's SQLite database with its stores (see :class:`bot.storage.base.Database`).

    Open it with ``await Database.open(url)`` or ``async with await Database.open(url) as db``.
    """

    backend = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path | None, clock: Clock,
                 limits: Limits | None = None) -> None:
        """Wrap an open connection; use :meth:`Database.open` instead, which also migrates."""
        super().__init__(clock, limits)
        self._conn = conn
        self._lock = PriorityLock()
        self._closed = False
        self.path = path
        # aiosqlite's own way to run a function on its thread; without it (another aiosqlite),
        # every statement is its own trip through the public methods, under the lock.
        self._batched = hasattr(conn, "_execute")
        self._trips = Trips(conn, self._lock, self._check_open)

    @classmethod
    async def _open(cls, target: DatabaseURL, *, clock: Clock, limits: Limits | None,
                    migrations_dir: Path | None) -> SqliteDatabase:
        """Open (creating if needed) and migrate the SQLite file of ``target``."""
        path = target.path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: the sqlite3 module never opens transactions behind our back;
        # write() opens them explicitly.
        conn = await aiosqlite.connect(":memory:" if path is None else str(path), isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            if path is not None:
                rows = await conn.execute_fetchall("PRAGMA journal_mode = WAL")
                mode = next(iter(rows))[0]
                if str(mode).lower() != "wal":
                    log.warning("SQLite refused WAL mode for %s (journal mode %s)", path, mode)
                # NORMAL is durable across application crashes in WAL mode; only a power cut
                # can lose the last transactions, never corrupt the file.
                await conn.execute("PRAGMA synchronous = NORMAL")
            db = cls(conn, path, clock=clock, limits=limits)
            await db._migrate(load_migrations(migrations_dir, dialect="sqlite"))
        except BaseException:
            await conn.close()
            raise
        log.info("Opened database %s (schema version %d)", path or ":memory:", db.schema_version)
        return db

    def describe(self) -> str:
        """The file, for ``python -m bot check``."""
        return f"SQLite file {self.path}" if self.path is not None else "SQLite in memory"

    async def server_version(self) -> str:
        """SQLite's library version."""
        return sqlite3.sqlite_version

    async def close(self) -> None:
        """Close the connection once running statements are done; closing twice is harmless."""
        if self._closed:
            return
        async with self._lock.hold():
            self._closed = True
            try:
                await self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                log.debug("PRAGMA optimize failed on close", exc_info=True)
            await self._conn.close()

    # Running statements -------------------------------------------------------------------

    @asynccontextmanager
    async def write(self, *, exclusive: bool = False, urgent: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: ``async with db.write() as conn: await conn.execute(...)``.

        Holds the lock from ``BEGIN IMMEDIATE`` to ``COMMIT``, so concurrent callers run one
        after the other (every write is ``exclusive`` here: SQLite has a single writer); an
        exception (including cancellation) rolls everything back. ``urgent`` writes go before
        those already waiting (a request's record before Discord's deadline).
        """
        async with self._lock.hold(urgent=urgent):
            self._check_open()
            committed = False
            try:
                # BEGIN is inside the try: a task cancelled while awaiting it still has the
                # statement run by aiosqlite's thread, and must not leave the transaction open.
                await self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                await self._conn.execute("COMMIT")
                committed = True
            finally:
                if not committed:
                    await self._rollback()

    async def transaction(self, body: Callable[[Any], Awaitable[T]], *, exclusive: bool = False,
                          urgent: bool = False) -> T:
        """``body(conn)`` as one write transaction, run whole on the connection's thread: a trip.

        Statement by statement, each await would be a trip to aiosqlite's thread and back; here
        the body is one function on that thread, in its own savepoint of its batch's transaction
        (:mod:`bot.storage.trips`): all of it is kept, or none of it (any exception). The body's
        awaits on ``conn`` complete at once there; awaiting anything else is refused. A caller
        cancelled before its batch is sent runs nothing; once sent, the transaction goes on
        without it.
        ``exclusive`` changes nothing for a trip (SQLite has one writer); an ``urgent`` trip goes
        first in its batch, and that batch before the sessions waiting.
        """
        if not self._batched:  # an aiosqlite without a way to run a function on its thread
            return await super().transaction(body, exclusive=exclusive, urgent=urgent)
        return await self._trips.run(in_body(body), URGENT if urgent else LONG)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Several reads that must agree with each other (one snapshot, under the lock)."""
        async with self._lock.hold():
            self._check_open()
            try:
                await self._conn.execute("BEGIN")
                yield self._conn
            finally:
                await self._rollback()

    async def _rollback(self) -> None:
        """End the open transaction without keeping its changes (quietly if there is none).

        aiosqlite runs statements in order, so a ROLLBACK queued after a statement whose
        caller was cancelled still comes after it.
        """
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            # SQLite already rolled back (some errors end the transaction themselves).
            log.debug("ROLLBACK found no transaction", exc_info=True)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one read statement and return its rows (for the stores' read methods): a trip."""
        return await self._statement(sql, params, writes=False)

    async def write_one(self, sql: str, params: Sequence[Any] = (), *, urgent: bool = False) -> list[sqlite3.Row]:
        """One write statement, committed with its batch (SQLite makes a single statement atomic):
        a trip, so it never lands inside a session's transaction."""
        return await self._statement(sql, params, writes=True, urgent=urgent)

    async def _statement(self, sql: str, params: Sequence[Any], *, writes: bool,
                         urgent: bool = False) -> list[sqlite3.Row]:
        if not self._batched:
            async with self._lock.hold(urgent=urgent, short=True):
                self._check_open()
                return list(await self._conn.execute_fetchall(sql, params))
        return await self._trips.run(statement(sql, params), URGENT if urgent else SHORT, writes=writes)

    def _check_open(self) -> None:
        """Refuse statements after :meth:`close`."""
        if self._closed:
            raise RuntimeError("the database is closed")

    # Inspection ---------------------------------------------------------------------------

    async def journal_mode(self) -> str:
        """SQLite's journal mode for this connection (``wal`` for a file)."""
        row = await self.fetchone("PRAGMA journal_mode")
        assert row is not None
        return str(row[0]).lower()

    # Migrations ---------------------------------------------------------------------------

    async def _migrate(self, migrations: Sequence[Migration]) -> None:
        """Apply the migrations not applied yet, each in its own transaction."""
        async with self.write() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL,"
                " applied_at REAL NOT NULL)"
            )
        self.schema_version = await self._current_version()
        known = migrations[-1].version if migrations else 0
        if self.schema_version > known:
            raise RuntimeError(
                f"the database has schema version {self.schema_version}, newer than this bot "
                f"knows ({known}); run a newer version of the bot or restore a backup"
            )
        for migration in migrations:
            if migration.version <= self.schema_version:
                continue
            async with self.write() as conn:
                # Checked again inside the transaction: another process may have just done it.
                rows = await conn.execute_fetchall(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                )
                if rows:
                    continue
                for statement in split_statements(migration.sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, time.time()),
                )
            log.info("Applied migration %04d_%s", migration.version, migration.name)
        self.schema_version = await self._current_version()
