"""SQLite trips: work sent to the one connection's thread in batches (see :mod:`bot.storage.database`).

A trip is one statement, or one whole transaction function, that runs start to end on the thread
where aiosqlite keeps the connection: nothing can come between its parts. Under a burst a trip to
the thread and back costs far more than its statement (the thread and the event loop hand the
interpreter back and forth for each one: removing two trips a job, as an experiment, raised the
bot's throughput by a third), so trips are sent in batches. While one batch runs on the thread,
the trips that arrive meanwhile wait, then go together, in an order of service
(``Trips._send``); a batch pays the trip once for all of them.

A batch is also one write transaction, each trip in a savepoint of its own (``_run_together``):
one commit instead of one per trip, and only a failing trip's own work rolled back.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import aiosqlite

from bot.storage.lock import PriorityLock

T = TypeVar("T")


class _ThreadConnection:
    """The connection methods a transaction function awaits, done at once on aiosqlite's thread."""

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


def _rollback(raw: sqlite3.Connection) -> None:
    """End the open transaction, if there is one (some errors end it themselves)."""
    if raw.in_transaction:
        try:
            raw.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # it ended meanwhile: nothing is kept either way


def _run_alone(raw: sqlite3.Connection, work: Callable[[sqlite3.Connection], Any], *, writes: bool) -> Outcome:
    """One trip on its own: a write transaction of its own, or a read as SQLite runs it alone."""
    if not writes:
        try:
            return None, work(raw)
        except Exception as error:
            return error, None
    try:
        raw.execute("BEGIN IMMEDIATE")
        result = work(raw)
        raw.execute("COMMIT")  # may fail too ("database is locked"): the connection must not stay inside
    except BaseException as error:
        _rollback(raw)
        if not isinstance(error, Exception):
            raise
        return error, None
    return None, result


Work = Callable[[sqlite3.Connection], Any]
"""What a trip does on the connection's thread, given the connection."""


def _run_together(raw: sqlite3.Connection, trips: list[tuple[Work, bool]]) -> list[Outcome]:
    """A batch's trips (work, whether it writes) in one write transaction, each in a savepoint.

    One commit for the batch, not one per trip: the pages that several trips change (a job's row,
    the indexes on its state) are written to the WAL once. A trip that fails is rolled back to its
    savepoint alone; the others are kept. If BEGIN is refused (another process held the lock past
    ``busy_timeout``), nothing ran and every trip fails with it: trying each again would wait as
    long again, each. If the transaction fails later (COMMIT refused: that lock, a deferred
    constraint), nothing of it is kept and each trip runs again alone, so that only its own
    failure reaches its caller. A batch of reads only, or of one trip, runs trip by trip.
    """
    if len(trips) == 1 or not any(writes for _, writes in trips):
        return [_run_alone(raw, work, writes=writes) for work, writes in trips]
    try:
        raw.execute("BEGIN IMMEDIATE")
    except Exception as error:
        return [(error, None)] * len(trips)
    outcomes: list[Outcome] = []
    try:
        for work, _ in trips:
            raw.execute("SAVEPOINT trip")
            try:
                outcome: Outcome = None, work(raw)
            except Exception as error:
                raw.execute("ROLLBACK TO trip")
                outcome = error, None
            raw.execute("RELEASE trip")
            outcomes.append(outcome)
        raw.execute("COMMIT")
    except BaseException as error:
        _rollback(raw)
        if not isinstance(error, Exception):
            raise
        return [_run_alone(raw, work, writes=writes) for work, writes in trips]
    return outcomes


def in_body(body: Callable[[Any], Awaitable[T]]) -> Callable[[sqlite3.Connection], T]:
    """A transaction function as a trip (its transaction is the trip's: see ``_run_together``)."""
    return lambda raw: _run_now(body(_ThreadConnection(raw)))


URGENT, SHORT, LONG = 0, 1, 2
"""The ranks of trips in a batch (see ``Trips._send``)."""
LONG_PER_BATCH = 4
"""Transactions (other than urgent ones) in one batch, at most: ~1 ms each under a burst."""


@dataclass(frozen=True)
class _Trip:
    rank: int
    work: Callable[[sqlite3.Connection], Any]
    writes: bool
    future: asyncio.Future[Any]


def _answer(batch: list[_Trip], outcomes: list[Outcome]) -> None:
    """Hand each trip of a batch done on the thread its result or its error (on the event loop)."""
    for trip, (error, result) in zip(batch, outcomes, strict=True):
        if not trip.future.done():  # its caller may have been cancelled meanwhile
            if error is None:
                trip.future.set_result(result)
            else:
                trip.future.set_exception(error)


def statement(sql: str, params: Sequence[Any]) -> Callable[[sqlite3.Connection], list[sqlite3.Row]]:
    """One statement as a trip: it runs, and its rows are read, on the connection's thread."""
    return lambda raw: raw.execute(sql, params).fetchall()


class Trips:
    """The trips waiting for one connection's thread, and the task that sends them in batches.

    A batch holds ``lock`` (the database's) while it runs, so that no trip runs inside a session
    (several statements with awaits between them); ``check_open`` refuses trips after close.
    """

    def __init__(self, conn: aiosqlite.Connection, lock: PriorityLock, check_open: Callable[[], None]) -> None:
        self._conn = conn
        self._lock = lock
        self._check_open = check_open
        self._waiting: list[_Trip] = []
        self._sender: asyncio.Task[None] | None = None  # sends the batches while trips wait

    async def run(self, work: Callable[[sqlite3.Connection], T], rank: int, *, writes: bool = True) -> T:
        """``work(connection)`` on the connection's thread, in a coming batch; its result or error.

        ``writes=False`` for a read: a batch of reads only needs no write transaction.
        """
        self._check_open()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Trip(rank, work, writes, future))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send(), name="sqlite-trips")
        return await future

    async def _send(self) -> None:
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
            while self._waiting:
                # A trip whose caller was cancelled before it went is dropped: it never runs.
                waiting = sorted((trip for trip in self._waiting if not trip.future.done()), key=lambda t: t.rank)
                cut = next((i for i, trip in enumerate(waiting) if trip.rank == LONG), len(waiting))
                cut = min(len(waiting), cut + LONG_PER_BATCH)
                batch, self._waiting = waiting[:cut], waiting[cut:]
                if not batch:
                    continue
                # No session is open while a batch runs. A request's record (urgent) keeps its
                # place before the sessions waiting, as it had when it held the lock alone.
                async with self._lock.hold(urgent=batch[0].rank == URGENT, short=True):
                    self._check_open()
                    # Cancelled while the batch waited for the lock: not sent, so never run.
                    batch = [trip for trip in batch if not trip.future.done()]
                    if batch:
                        # The callers are answered from the thread (``_run``), as soon as the
                        # batch is done: a loop turn sooner than through this task.
                        await self._conn._execute(self._run, asyncio.get_running_loop(), batch)
                batch = []
        except BaseException as error:
            # The batch's callers (and those waiting behind it) learn what stopped it; on a
            # cancellation (the loop shutting down) they are cancelled too.
            for trip in [*batch, *self._waiting]:
                if not trip.future.done():
                    if isinstance(error, Exception):
                        trip.future.set_exception(error)
                    else:
                        trip.future.cancel()
            self._waiting = []
            if not isinstance(error, Exception):
                raise
        finally:
            self._sender = None

    def _run(self, loop: asyncio.AbstractEventLoop, batch: list[_Trip]) -> None:
        # On aiosqlite's thread. ``_execute`` and ``_conn`` are how aiosqlite runs its own methods
        # there; it offers no public way to run several statements in one trip.
        outcomes = _run_together(self._conn._conn, [(trip.work, trip.writes) for trip in batch])
        try:
            loop.call_soon_threadsafe(_answer, batch, outcomes)
        except RuntimeError:
            pass  # the loop is closed: nobody waits for these answers any more
