"""``Database``: what the stores and the bot see of a database, whichever kind it is.

``await Database.open(url)`` returns a :class:`bot.storage.database.SqliteDatabase` for a
``sqlite:///`` URL (or a path) and a :class:`bot.storage.postgres.PostgresDatabase` for a
``postgresql://`` URL. Both give the same stores (``jobs``, ``quotas``, ``intake``,
``settings``, ``audit``, ``meta``) and the same ways to run statements:

- ``async with db.write() as conn`` — one write transaction; ``write(exclusive=True)`` also
  serialises it against every other exclusive one, in every process (SQLite's ``BEGIN IMMEDIATE``
  does that for every write; PostgreSQL takes one advisory lock);
- ``await db.transaction(body, exclusive=..., urgent=...)`` — the same, for a ``body(conn)`` that
  awaits nothing but ``conn``: SQLite runs it whole in one trip to its connection's thread (a
  reservation is seven statements), PostgreSQL as ``write`` does;
- ``async with db.read() as conn`` — reads that must agree with each other (one snapshot);
- ``await db.fetchall(sql, params)`` / ``fetchone`` — one read statement;
- ``await db.write_one(sql, params)`` — one write statement, committed on its own, returning its
  ``RETURNING`` rows: a single guarded ``UPDATE`` needs no transaction around it, and skipping
  ``BEGIN``/``COMMIT`` makes it one trip to the database instead of three.

``conn`` has ``execute`` (its result has ``rowcount``), ``execute_fetchall`` and ``executemany``;
statements are written in SQLite's dialect with ``?`` placeholders (see
:mod:`bot.storage.dialect`), and rows are read by column name or position.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Self, TypeVar

from bot.storage.audit import AuditStore
from bot.storage.intake import IntakeStore
from bot.storage.jobs import JobStore
from bot.storage.meta import MetaStore
from bot.storage.quotas import Limits, QuotaStore
from bot.storage.settings import SettingsStore
from bot.storage.urls import DatabaseURL, parse

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")

DEFAULT_LEASE_SECONDS = 60.0


def new_lease_owner() -> str:
    """A name for this process in ``lease_owner``: host, pid and a random part (unique per start)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


TABLES = ("jobs", "intake", "quota_overrides", "budget_overrides", "guild_settings", "blocked_terms",
          "audit_entries", "meta")
"""Every table of the bot's data, in an order that a copy can follow (``migrate-db``)."""


def _utcnow() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class Database:
    """A database with the bot's stores; open one with ``await Database.open(url)``."""

    backend: ClassVar[str] = ""
    """``sqlite`` or ``postgresql``."""
    _backends: ClassVar[dict[str, type[Database]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each kind of database registers itself under its ``backend`` name."""
        super().__init_subclass__(**kwargs)
        if cls.backend:
            Database._backends[cls.backend] = cls

    def __init__(self, clock: Clock = _utcnow, limits: Limits | None = None) -> None:
        """Build the stores over this database (the subclass holds the connection)."""
        self.clock = clock
        self.schema_version = 0
        self.path: Path | None = None
        #: This process's name on the jobs and requests it holds, and how long its claim lasts
        #: without renewal (``JOB_LEASE_S``; see ``bot.jobs.leases``).
        self.lease_owner = new_lease_owner()
        self.lease_seconds = DEFAULT_LEASE_SECONDS
        self.jobs = JobStore(self, clock=clock)
        self.quotas = QuotaStore(self, limits, clock=clock)
        self.meta = MetaStore(self)
        self.intake = IntakeStore(self, clock)
        self.settings = SettingsStore(self)
        self.audit = AuditStore(self)

    @classmethod
    async def open(
        cls,
        url_or_path: str | Path,
        *,
        clock: Clock = _utcnow,
        limits: Limits | None = None,
        migrations_dir: Path | None = None,
    ) -> Database:
        """Open (creating if needed) and migrate the database ``url_or_path`` names.

        ``url_or_path`` is a ``sqlite:///`` URL, ``":memory:"``, a path, or a ``postgresql://``
        URL. ``clock`` gives the time to the stores (tests inject one); ``limits`` are the
        bot-wide quota defaults from configuration (:class:`Limits`' own defaults when left
        out); ``migrations_dir`` replaces the packaged migrations of that kind (tests only).
        """
        target = parse(url_or_path)
        backend = Database._backends.get(target.backend)
        if backend is None:  # pragma: no cover - both kinds are registered by bot.storage.database
            raise RuntimeError(f"no {target.backend} support is loaded; import bot.storage.database")
        return await backend._open(target, clock=clock, limits=limits, migrations_dir=migrations_dir)

    @classmethod
    async def _open(cls, target: DatabaseURL, *, clock: Clock, limits: Limits | None,
                    migrations_dir: Path | None) -> Database:
        raise NotImplementedError

    # What each kind provides -----------------------------------------------------------------

    def describe(self) -> str:
        """Where the data is, safe to print (no password)."""
        raise NotImplementedError

    @property
    def single_process(self) -> bool:
        """Whether only one bot process can use this database (a SQLite file): at start it may
        take over everything left unfinished at once, without waiting for leases to run out."""
        return self.backend == "sqlite"

    @property
    def skip_locked(self) -> str:
        """What a claim's inner ``SELECT`` ends with so that concurrent claimers never wait for, nor
        take, the same rows (PostgreSQL); SQLite's single writer needs nothing."""
        return " FOR UPDATE SKIP LOCKED" if self.backend == "postgresql" else ""

    def write(self, *, exclusive: bool = False, urgent: bool = False) -> AbstractAsyncContextManager[Any]:
        """One write transaction (see the module docstring); ``urgent`` ones go before others waiting."""
        raise NotImplementedError

    async def transaction(self, body: Callable[[Any], Awaitable[T]], *, exclusive: bool = False,
                          urgent: bool = False) -> T:
        """Run ``body(conn)`` as one write transaction and return what it returns (see the module
        docstring). ``body`` must await only ``conn``'s methods."""
        async with self.write(exclusive=exclusive, urgent=urgent) as conn:
            return await body(conn)

    def read(self) -> AbstractAsyncContextManager[Any]:
        """Several reads that agree with each other."""
        raise NotImplementedError

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one read statement and return its rows."""
        raise NotImplementedError

    async def write_one(self, sql: str, params: Sequence[Any] = (), *, urgent: bool = False) -> list[Any]:
        """Run one write statement in a transaction of its own; return its ``RETURNING`` rows.
        ``urgent`` ones go before others waiting (as for ``write``)."""
        raise NotImplementedError

    async def close(self) -> None:
        """Close the connection(s); closing twice is harmless."""
        raise NotImplementedError

    async def server_version(self) -> str:
        """The database software's version, for ``python -m bot check``."""
        raise NotImplementedError

    # Shared ---------------------------------------------------------------------------------

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any | None:
        """Run one read statement and return its first row, or ``None``."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def applied_migrations(self) -> list[tuple[int, str]]:
        """The migrations recorded in ``schema_migrations``, as (version, name)."""
        rows = await self.fetchall("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row["version"], row["name"]) for row in rows]

    async def _current_version(self) -> int:
        """The highest migration recorded, 0 for a new database."""
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row is not None else 0

    async def table_counts(self) -> dict[str, int]:
        """Rows in each table of the bot's data (``migrate-db`` compares them)."""
        counts = {}
        async with self.read() as conn:
            for table in TABLES:
                rows = await conn.execute_fetchall(f"SELECT COUNT(*) FROM {table}")
                counts[table] = int(next(iter(rows))[0])
        return counts

    async def __aenter__(self) -> Self:
        """Use the open database in ``async with``; it is closed at the end."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the database."""
        await self.close()

