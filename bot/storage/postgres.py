"""The PostgreSQL database (``DATABASE_URL=postgresql://user:password@host:port/db``), for several
bot processes sharing one database.

A pool of asyncpg connections serves the process; every statement has a timeout
(``command_timeout``), every connection attempt and every wait for a free connection too. The stores
run the same statements as on SQLite, rewritten once by :mod:`bot.storage.dialect`, and read the
rows the same way (:class:`PgRow`).

What SQLite's single writer gave for free is made explicit here:

- ``write(exclusive=True)`` takes ``pg_advisory_xact_lock`` on one key inside its transaction, so
  quota and budget reservations of every process run one after the other, each seeing what the
  one before committed, exactly as under SQLite's ``BEGIN IMMEDIATE``;
- migrations run under a session advisory lock, so two processes starting together apply each
  one once;
- a connection goes back to the pool as it is, without asyncpg's reset query (a round trip on
  every release): the bot leaves no session state on it (no ``SET``, ``LISTEN``, cursor or
  session lock outside ``_migrate``, which closes its connection when it cannot unlock);
- every other write is a single guarded statement (``UPDATE … WHERE state IN (…)``), which
  PostgreSQL's row locks already make atomic under READ COMMITTED.

The password of the URL is never logged nor put in an error: messages show :func:`redact_url`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bot.storage.base import Clock, Database
from bot.storage.dialect import postgres_value, status_rowcount, to_postgres
from bot.storage.quotas import Limits
from bot.storage.schema import Migration, load_migrations, split_statements
from bot.storage.urls import DatabaseURL

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
"""Seconds to establish one connection (TCP, TLS, authentication)."""
COMMAND_TIMEOUT = 30.0
"""Seconds one statement may run, lock waits included."""
ACQUIRE_TIMEOUT = 30.0
"""Seconds to wait for a free connection of the pool."""
CLOSE_TIMEOUT = 10.0
POOL_MIN = 1
POOL_MAX = 10
"""Connections per process: the job workers, the intake writer and the commands share them."""

LOCK_RESERVE = 0x6B6F_7461_0001
"""Advisory lock key of ``write(exclusive=True)``: quota and budget reservations, in every process."""
LOCK_MIGRATE = 0x6B6F_7461_0002
"""Advisory lock key held while migrations are applied."""


class DatabaseUnavailable(ConnectionError):
    """The PostgreSQL server could not be reached or refused us; the message holds no password."""


class PgRow:
    """One row read the way a ``sqlite3.Row`` is: by column name, by position, or unpacked."""

    __slots__ = ("_names", "_values")

    def __init__(self, record: asyncpg.Record) -> None:
        self._values = tuple(postgres_value(v) for v in record.values())
        self._names = {name: index for index, name in enumerate(record.keys())}

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            return self._values[self._names[key]]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._names)

    def __repr__(self) -> str:
        return f"PgRow({dict(zip(self._names, self._values, strict=True))!r})"


@dataclass(frozen=True)
class Outcome:
    """What ``execute`` returns: the rows changed, as a cursor's ``rowcount``."""

    rowcount: int


class PgConnection:
    """One connection inside a transaction, with the methods the stores call on aiosqlite's."""

    def __init__(self, raw: asyncpg.Connection) -> None:
        self._raw = raw

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Outcome:
        """Run one statement; its ``rowcount`` is what it changed."""
        status = await self._raw.execute(to_postgres(sql), *params)
        return Outcome(status_rowcount(status))

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[PgRow]:
        """Run one statement and return its rows (``RETURNING`` included)."""
        return [PgRow(r) for r in await self._raw.fetch(to_postgres(sql), *params)]

    async def copy_records(self, table: str, columns: Sequence[str], records: Sequence[Sequence[Any]]) -> None:
        """Send many rows at once with COPY (``migrate-db``); values must match the column types."""
        await self._raw.copy_records_to_table(table, records=records, columns=list(columns),
                                              timeout=COMMAND_TIMEOUT)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Outcome:
        """Run one statement per row of parameters; ``rowcount`` adds up what they changed."""
        total = 0
        for params in rows:
            total += (await self.execute(sql, params)).rowcount
        return Outcome(total)


class PostgresDatabase(Database):
    """The bot's data in PostgreSQL, with the same stores as SQLite's (see :mod:`bot.storage.base`)."""

    backend = "postgresql"

    def __init__(self, pool: asyncpg.Pool, target: DatabaseURL, clock: Clock,
                 limits: Limits | None = None) -> None:
        """Wrap an open pool; use :meth:`Database.open` instead, which also migrates."""
        super().__init__(clock, limits)
        self._pool = pool
        self._target = target
        self._closed = False

    @classmethod
    async def _open(cls, target: DatabaseURL, *, clock: Clock, limits: Limits | None,
                    migrations_dir: Path | None) -> PostgresDatabase:
        """Connect a pool to ``target`` and migrate the database."""
        pool = await connect_pool(target)
        try:
            db = cls(pool, target, clock=clock, limits=limits)
            await db._migrate(load_migrations(migrations_dir, dialect="postgresql"))
            isolation = await db.fetchone("SHOW default_transaction_isolation")
        except BaseException:
            await _close_pool(pool)
            raise
        log.info("Opened database %s (schema version %d)", target.shown, db.schema_version)
        if isolation is not None and isolation[0] != "read committed":
            log.warning("PostgreSQL's default isolation here is %s: the bot's transactions ask for "
                        "READ COMMITTED themselves, but its single statements (job state changes) may "
                        "fail with a serialization error under load; make READ COMMITTED the default "
                        "for the bot's role or database (ALTER ROLE ... SET default_transaction_isolation "
                        "= 'read committed')", str(isolation[0]).upper())
        return db

    def describe(self) -> str:
        """The server and database, without the password."""
        return f"PostgreSQL {self._target.shown}"

    async def server_version(self) -> str:
        """The server's version, e.g. ``15.4``."""
        row = await self.fetchone("SHOW server_version")
        return str(row[0]).split(" ", 1)[0] if row is not None else "?"

    async def close(self) -> None:
        """Close the pool once running statements are done; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        await _close_pool(self._pool)

    # Running statements -------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the database is closed")

    @asynccontextmanager
    async def write(self, *, exclusive: bool = False, urgent: bool = False) -> AsyncIterator[PgConnection]:
        """One write transaction; ``exclusive`` ones run one at a time across every process.

        ``urgent`` changes nothing here: each write has its own pooled connection, so a request's
        record never queues behind reservations (it is not ``exclusive``).

        An exception (cancellation included) rolls everything back.
        """
        self._check_open()
        # READ COMMITTED whatever the server's default: under REPEATABLE READ the snapshot would
        # be taken at the advisory lock's statement, before the lock is granted, so a reservation
        # would count without the ones just before it. (Asked for in BEGIN, not as a connection
        # setting: PgBouncer refuses startup parameters it does not know.)
        async with (self._pool.acquire(timeout=ACQUIRE_TIMEOUT) as raw,
                    raw.transaction(isolation="read_committed")):
            if exclusive:
                await raw.execute("SELECT pg_advisory_xact_lock($1)", LOCK_RESERVE)
            yield PgConnection(raw)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[PgConnection]:
        """Several reads that agree with each other: one REPEATABLE READ snapshot."""
        self._check_open()
        async with (self._pool.acquire(timeout=ACQUIRE_TIMEOUT) as raw,
                    raw.transaction(isolation="repeatable_read", readonly=True)):
            yield PgConnection(raw)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[PgRow]:
        """Run one read statement and return its rows."""
        self._check_open()
        async with self._pool.acquire(timeout=ACQUIRE_TIMEOUT) as raw:
            return [PgRow(r) for r in await raw.fetch(to_postgres(sql), *params)]

    async def write_one(self, sql: str, params: Sequence[Any] = (), *, urgent: bool = False) -> list[PgRow]:
        """One write statement, committed on its own (PostgreSQL's autocommit): one round trip.
        ``urgent`` changes nothing here (see ``write``)."""
        self._check_open()
        async with self._pool.acquire(timeout=ACQUIRE_TIMEOUT) as raw:
            return [PgRow(r) for r in await raw.fetch(to_postgres(sql), *params)]

    # Migrations ---------------------------------------------------------------------------

    async def _migrate(self, migrations: Sequence[Migration]) -> None:
        """Apply the migrations not applied yet, each in its own transaction, under a lock that
        keeps two processes starting together from applying one twice."""
        async with self._pool.acquire(timeout=ACQUIRE_TIMEOUT) as raw:
            unlocked = False
            try:
                await raw.execute("SELECT pg_advisory_lock($1)", LOCK_MIGRATE)
                await raw.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL,"
                    " applied_at DOUBLE PRECISION NOT NULL)"
                )
                current = int(await raw.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
                known = migrations[-1].version if migrations else 0
                if current > known:
                    raise RuntimeError(
                        f"the database has schema version {current}, newer than this bot knows "
                        f"({known}); run a newer version of the bot or restore a backup"
                    )
                for migration in migrations:
                    if migration.version <= current:
                        continue
                    async with raw.transaction():
                        for statement in split_statements(migration.sql):
                            await raw.execute(statement)
                        await raw.execute(
                            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                            migration.version, migration.name, time.time(),
                        )
                    log.info("Applied migration %04d_%s", migration.version, migration.name)
                await raw.execute("SELECT pg_advisory_unlock($1)", LOCK_MIGRATE)
                unlocked = True
            finally:
                if not unlocked:
                    # The pool does not reset sessions (``_keep_session``): a connection that may
                    # still hold the lock (a failure or a cancellation on the way) is closed, which
                    # releases it, rather than reused. One lost already is detached from the pool.
                    with contextlib.suppress(asyncpg.InterfaceError):
                        raw.terminate()
        self.schema_version = await self._current_version()


async def _keep_session(conn: asyncpg.Connection) -> None:
    """What a connection needs before it goes back to the pool: nothing more than asyncpg does anyway.

    asyncpg's default reset sends ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``
    on every release, a round trip awaited before the caller goes on: 0.55 ms instead of 0.35 ms
    for a statement on its own, five or six times per job. The bot leaves nothing in a session
    for it to undo: no ``SET``, ``LISTEN`` or cursor, and its advisory locks are the
    transaction's, except the migrations' (released in ``_migrate``, or the connection closed).
    An open transaction is still rolled back by asyncpg before this runs.
    """


async def connect_pool(target: DatabaseURL) -> asyncpg.Pool:
    """A pool of connections to ``target``; ``DatabaseUnavailable`` (without the password) if none."""
    assert target.dsn is not None
    try:
        return await asyncpg.create_pool(
            target.dsn, min_size=POOL_MIN, max_size=POOL_MAX, timeout=CONNECT_TIMEOUT,
            command_timeout=COMMAND_TIMEOUT, max_inactive_connection_lifetime=300.0,
            server_settings={"application_name": "gptproto-image-bot"},
            reset=_keep_session,
        )
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as error:
        detail = str(error) or type(error).__name__
        if target.password:
            detail = detail.replace(target.password, "***")
        # "from None": the original exception's text could repeat the URL it was given.
        raise DatabaseUnavailable(
            f"cannot connect to PostgreSQL at {target.shown}: {type(error).__name__}: {detail}"
        ) from None


async def _close_pool(pool: asyncpg.Pool) -> None:
    """Close gracefully, or cut the connections after ``CLOSE_TIMEOUT``."""
    try:
        await asyncio.wait_for(pool.close(), CLOSE_TIMEOUT)
    except (TimeoutError, OSError, asyncpg.InterfaceError):
        log.warning("PostgreSQL pool did not close within %.0f s; connections cut", CLOSE_TIMEOUT)
        pool.terminate()
