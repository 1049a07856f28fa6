"""The SQLite database: opening it, migrating it, and running statements safely from asyncio.

One aiosqlite connection serves the whole bot. aiosqlite runs that connection on one worker
thread, so statements never run at the same time, but the awaits *between* statements of a
transaction do interleave with other tasks. Two kinds of work therefore reach the connection:

- **Trips**: one statement (``fetchall``, ``write_one``) or one whole transaction function
  (``transaction``) that runs start to end on the connection's thread. Nothing can come between
  its parts, so trips need no lock of their own. They are sent in batches: while one batch runs
  on the thread, the trips that arrive meanwhile wait and then go together (in an order of
  service: ``_send_trips``). Under a burst a trip to the thread and back costs far more than its
  statement (the thread and the event loop hand the interpreter back and forth for each one:
  removing two trips a job raised the bot's throughput by a third), and a batch pays that once
  for all of its trips. A batch is also one write transaction, each trip in a savepoint of its
  own (``_run_together``): one commit instead of one per trip.
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
that open, migrate and describe a SQLite file, the batches of trips and the lock.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.storage.base import Clock, Database
from bot.storage.lock import PriorityLock
from bot.storage.postgres import PostgresDatabase
from bot.storage.quotas import Limits
from bot.storage.schema import Migration, load_migrations, split_statements
from bot.storage.urls import DatabaseURL, parse_database_url

__all__ = ["Database", "PostgresDatabase", "SqliteDatabase", "load_migrations", "parse_database_url",
           "split_statements"]

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5_000
"""How long a statement waits for another process's write lock before failing."""


class _ThreadConnection:
    """The connection methods the stores await, done at once on aiosqlite's thread (``transaction``)."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement; the cursor has its ``rowcount``."""
        return self._raw.execute(sql, params)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run one statement and return its rows."""
        return self._raw.execute(sql, params).fetchall()

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        """Run one statement per row of parameters."""
        return self._raw.executemany(sql, rows)


def _run_now(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (it awaits only a :class:`_ThreadConnection`) to its end."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("a transaction body awaited something other than its connection")


Outcome = tuple[Exception | None, Any]
"""A trip's error, or ``None`` and its result."""


def _run_alone(raw: sqlite3.Connection, work: Callable[[sqlite3.Connection], Any]) -> Outcome:
    """One trip in a write transaction of its own, on the connection's thread."""
    try:
        raw.execute("BEGIN IMMEDIATE")
        result = work(raw)
        raw.execute("COMMIT")  # may fail too ("database is locked"): the connection must not stay inside
    except Exception as error:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        return error, None
    return None, result


def _run_together(raw: sqlite3.Connection, works: list[Callable[[sqlite3.Connection], Any]]) -> list[Outcome]:
    """A batch's trips in one write transaction, each in a savepoint of its own.

    One commit for the batch, not one per trip: the pages that several trips change (a job's row,
    the indexes on its state) are written to the WAL once. A trip that fails is rolled back to its
    savepoint alone; the others are kept. If the whole transaction fails (BEGIN or COMMIT refused:
    another process's lock past ``busy_timeout``, a deferred constraint), nothing of it is kept and
    each trip runs again alone, so that only its own failure reaches its caller.
    """
    if len(works) == 1:
        return [_run_alone(raw, works[0])]
    outcomes: list[Outcome] = []
    try:
        raw.execute("BEGIN IMMEDIATE")
        for work in works:
            raw.execute("SAVEPOINT trip")
            try:
                outcome: Outcome = None, work(raw)
            except Exception as error:
                raw.execute("ROLLBACK TO trip")
                outcome = error, None
            raw.execute("RELEASE trip")
            outcomes.append(outcome)
        raw.execute("COMMIT")
    except Exception:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        return [_run_alone(raw, work) for work in works]
    return outcomes


def _in_body(body: Callable[[Any], Awaitable[T]]) -> Callable[[sqlite3.Connection], T]:
    """A transaction function as a trip (its transaction is the trip's: see ``_run_together``)."""
    return lambda raw: _run_now(body(_ThreadConnection(raw)))


URGENT, SHORT, LONG = 0, 1, 2
"""The ranks of trips in a batch (see ``SqliteDatabase._send_trips``)."""
LONG_PER_BATCH = 4
"""Transactions (other than urgent ones) in one batch, at most: ~1 ms each under a burst."""


@dataclass(frozen=True)
class _Trip:
    rank: int
    work: Callable[[sqlite3.Connection], Any]
    future: asyncio.Future[Any]


def _answer(batch: list[_Trip], outcomes: list[Outcome]) -> None:
    """Hand each trip of a batch done on the thread its result or its error (on the event loop)."""
    for trip, (error, result) in zip(batch, outcomes, strict=True):
        if not trip.future.done():  # its caller may have been cancelled meanwhile
            if error is None:
                trip.future.set_result(result)
            else:
                trip.future.set_exception(error)


def _fetch(sql: str, params: Sequence[Any]) -> Callable[[sqlite3.Connection], list[sqlite3.Row]]:
    """One statement as a trip: it runs, and its rows are read, on the connection's thread."""
    return lambda raw: raw.execute(sql, params).fetchall()


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
        self._trips: list[_Trip] = []
        self._sender: asyncio.Task[None] | None = None  # sends the batches while trips wait

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
        (``_run_together``): all of it is kept, or none of it (any exception). The body's awaits
        on ``conn`` complete at once there
        (:class:`_ThreadConnection`); awaiting anything else is refused. A caller cancelled before
        its batch is sent runs nothing; once sent, the transaction goes on without it.
        ``exclusive`` and ``urgent`` change nothing for a trip: SQLite has one writer, and a trip
        waits for no session but the one open, if any.
        """
        if not self._batched:  # an aiosqlite without a way to run a function on its thread
            return await super().transaction(body, exclusive=exclusive, urgent=urgent)
        return await self._trip(_in_body(body), URGENT if urgent else LONG)

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
        return await self._statement(sql, params)

    async def write_one(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """One write statement, committed on its own (autocommit: SQLite makes a single statement
        atomic): a trip, so it never lands inside a session's transaction."""
        return await self._statement(sql, params)

    async def _statement(self, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        if not self._batched:
            async with self._lock.hold(short=True):
                self._check_open()
                return list(await self._conn.execute_fetchall(sql, params))
        return await self._trip(_fetch(sql, params), SHORT)

    # Trips, in batches (see the module's docstring) -------------------------------------

    async def _trip(self, work: Callable[[sqlite3.Connection], T], rank: int) -> T:
        """``work(connection)`` on the connection's thread, in a coming batch; its result or error."""
        self._check_open()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._trips.append(_Trip(rank, work, future))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send_trips(), name="sqlite-trips")
        return await future

    async def _send_trips(self) -> None:
        """Send the waiting trips, a batch at a time, until none is left.

        A batch takes every urgent trip (a request's record: Discord's 3 s run), then every single
        statement (mostly the state changes of admitted jobs, whose API calls and posts are what
        empties the queue), then at most ``LONG_PER_BATCH`` transactions (reservations), each kind
        in the order it came; the other transactions wait for the next batch. So no trip waits
        behind a burst's worth of reservations on the thread. Trips of one task keep their order:
        a task awaits each trip before it sends the next.
        """
        batch: list[_Trip] = []
        try:
            while self._trips:
                # A trip whose caller was cancelled before it went is dropped: it never runs.
                waiting = sorted((trip for trip in self._trips if not trip.future.done()), key=lambda t: t.rank)
                cut = next((i for i, trip in enumerate(waiting) if trip.rank == LONG), len(waiting))
                cut = min(len(waiting), cut + LONG_PER_BATCH)
                batch, self._trips = waiting[:cut], waiting[cut:]
                if not batch:
                    continue
                async with self._lock.hold(short=True):  # no session is open while a batch runs
                    self._check_open()
                    # The callers are answered from the thread (``_run_trips``), as soon as the
                    # batch is done: a loop turn sooner than through this task.
                    await self._conn._execute(self._run_trips, asyncio.get_running_loop(), batch)
                batch = []
        except BaseException as error:
            # The batch's callers (and those waiting behind it) learn what stopped it; on a
            # cancellation (the loop shutting down) they are cancelled too.
            for trip in [*batch, *self._trips]:
                if not trip.future.done():
                    if isinstance(error, Exception):
                        trip.future.set_exception(error)
                    else:
                        trip.future.cancel()
            self._trips = []
            if not isinstance(error, Exception):
                raise
        finally:
            self._sender = None

    def _run_trips(self, loop: asyncio.AbstractEventLoop, batch: list[_Trip]) -> None:
        # On aiosqlite's thread. ``_execute`` and ``_conn`` are how aiosqlite runs its own methods
        # there; it offers no public way to run several statements in one trip.
        outcomes = _run_together(self._conn._conn, [trip.work for trip in batch])
        loop.call_soon_threadsafe(_answer, batch, outcomes)

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
