"""The SQLite database: opening it, migrating it, and running statements safely from asyncio.

One aiosqlite connection serves the whole bot. aiosqlite runs that connection on one worker
thread, so statements never run at the same time, but the awaits *between* statements of a
transaction do interleave with other tasks. Every write transaction therefore runs inside
:meth:`Database.write` (a lock plus ``BEGIN IMMEDIATE`` … ``COMMIT``), and reads take the same
lock, so a read never sees the half-done work of a transaction that may still roll back. The
lock serves urgent writes first (:mod:`bot.storage.lock`): a request's record must not wait
behind a burst of reservations while Discord's 3 s run. ``BEGIN IMMEDIATE`` and ``busy_timeout``
cover a second process on the same file (``python -m bot check`` while the bot runs).

The SQL of the stores lives in their modules (``jobs.py``, ``quotas.py``); this module holds
only the statements that open, migrate and describe the database.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import unquote

import aiosqlite

from bot.storage.audit import AuditStore
from bot.storage.intake import IntakeStore
from bot.storage.jobs import JobStore
from bot.storage.lock import PriorityLock
from bot.storage.meta import MetaStore
from bot.storage.quotas import Limits, QuotaStore
from bot.storage.settings import SettingsStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

BUSY_TIMEOUT_MS = 5_000
"""How long a statement waits for another process's write lock before failing."""

_MEMORY_FORMS = frozenset({":memory:", "sqlite://", "sqlite:///:memory:"})
_SCHEMES = ("sqlite", "sqlite+aiosqlite", "sqlite+pysqlite")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([A-Za-z0-9_]+)\.sql$")


def _utcnow() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


def parse_database_url(url: str) -> Path:
    """Turn a SQLAlchemy-style SQLite URL into a file path.

    ``sqlite:///data/bot.db`` is relative to the working directory and
    ``sqlite:////var/lib/bot/bot.db`` is absolute (four slashes). Anything else raises
    ``ValueError`` with a sentence an admin can act on; the message never repeats the URL of
    another database, which could hold a password.
    """
    if not isinstance(url, str) or not url.strip():
        raise ValueError("DATABASE_URL is empty; write it as sqlite:///data/bot.db")
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(
            "DATABASE_URL must be a URL such as sqlite:///data/bot.db (relative) or "
            "sqlite:////var/lib/bot/bot.db (absolute)"
        )
    if scheme.lower() not in _SCHEMES:
        # Only the scheme is named: the rest of a postgres:// or mysql:// URL may hold a password.
        raise ValueError(
            f"DATABASE_URL uses {scheme!r}, but only SQLite is supported; write it as sqlite:///data/bot.db"
        )
    if not rest.startswith("/"):
        raise ValueError(
            f"DATABASE_URL {url!r} has a host part; write sqlite:///relative/path.db "
            "(three slashes) or sqlite:////absolute/path.db (four slashes)"
        )
    path_text = rest[1:]  # the slash that ends the (empty) host
    if "?" in path_text or "#" in path_text:
        raise ValueError(f"DATABASE_URL {url!r} has query parameters, which are not supported; give only the path")
    path_text = unquote(path_text)
    if not path_text or path_text.endswith("/"):
        raise ValueError(f"DATABASE_URL {url!r} names no file; write it as sqlite:///data/bot.db")
    if path_text == ":memory:":
        raise ValueError("DATABASE_URL points at an in-memory database, which has no file path")
    return Path(path_text)


@dataclass(frozen=True)
class Migration:
    """One numbered ``.sql`` file of schema changes."""

    version: int
    name: str
    sql: str


def load_migrations(folder: Path | None = None) -> list[Migration]:
    """Read the numbered migrations (``0001_initial.sql`` …) in version order."""
    if folder is None:
        files = [
            (entry.name, entry.read_text(encoding="utf-8"))
            for entry in (resources.files("bot.storage") / "migrations").iterdir()
            if entry.name.endswith(".sql")
        ]
    else:
        files = [(p.name, p.read_text(encoding="utf-8")) for p in folder.glob("*.sql")]
    migrations: dict[int, Migration] = {}
    for filename, sql in files:
        match = _MIGRATION_NAME.match(filename)
        if match is None:
            raise RuntimeError(f"migration file {filename!r} is not named like 0001_name.sql")
        version = int(match.group(1))
        if version in migrations:
            raise RuntimeError(
                f"two migrations share version {version}: {migrations[version].name!r} and {match.group(2)!r}"
            )
        migrations[version] = Migration(version, match.group(2), sql)
    return [migrations[v] for v in sorted(migrations)]


def split_statements(script: str) -> list[str]:
    """Split a SQL script into single statements (``sqlite3`` executes one at a time).

    ``executescript`` would do it, but it commits any open transaction first, and each
    migration must run inside its own.
    """
    statements: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            text = buffer.strip()
            if _has_code(text):
                statements.append(text)
            buffer = ""
    if _has_code(buffer.rstrip(";")):
        raise RuntimeError(f"migration ends with an incomplete statement: {buffer.strip()[:80]!r}")
    return statements


def _has_code(text: str) -> bool:
    """Whether a chunk of SQL holds anything but comments, whitespace and semicolons."""
    for line in text.splitlines():
        code = line.split("--", 1)[0].strip().strip(";").strip()
        if code:
            return True
    return False


class Database:
    """The bot's SQLite database with its stores: ``jobs``, ``quotas`` and ``meta``.

    Open it with ``await Database.open(url)`` or ``async with await Database.open(url) as db``.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path | None, clock: Clock = _utcnow,
                 limits: Limits | None = None) -> None:
        """Wrap an open connection; use :meth:`open` instead, which also migrates."""
        self._conn = conn
        self._lock = PriorityLock()
        self._closed = False
        self.path = path
        self.clock = clock
        self.schema_version = 0
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
    ) -> Self:
        """Open (creating if needed) and migrate the database.

        ``url_or_path`` is a ``sqlite:///`` URL, ``":memory:"``, or a path. ``clock`` gives the
        time to the stores (tests inject one); ``limits`` are the bot-wide quota defaults from
        configuration (:class:`Limits`' own defaults when left out); ``migrations_dir`` replaces the packaged
        migrations (tests only).
        """
        path = _resolve_location(url_or_path)
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
            await db._migrate(load_migrations(migrations_dir))
        except BaseException:
            await conn.close()
            raise
        log.info("Opened database %s (schema version %d)", path or ":memory:", db.schema_version)
        return db

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

    # Running statements -------------------------------------------------------------------

    @asynccontextmanager
    async def write(self, *, urgent: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: ``async with db.write() as conn: await conn.execute(...)``.

        Holds the lock from ``BEGIN IMMEDIATE`` to ``COMMIT``, so concurrent callers run one
        after the other; an exception (including cancellation) rolls everything back. ``urgent``
        writes go before those already waiting (a request's record before Discord's deadline).
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
        """Run one read statement and return its rows (for the stores' read methods)."""
        async with self._lock.hold():
            self._check_open()
            return list(await self._conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """Run one read statement and return its first row, or ``None``."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

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

    async def applied_migrations(self) -> list[tuple[int, str]]:
        """The migrations recorded in ``schema_migrations``, as (version, name)."""
        rows = await self.fetchall("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row["version"], row["name"]) for row in rows]

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

    async def _current_version(self) -> int:
        """The highest migration recorded, 0 for a new file."""
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row is not None else 0


def _resolve_location(url_or_path: str | Path) -> Path | None:
    """The file behind ``url_or_path``, or ``None`` for an in-memory database."""
    if isinstance(url_or_path, Path):
        return url_or_path
    text = url_or_path.strip()
    if text in _MEMORY_FORMS:
        return None
    if "://" in text:
        return parse_database_url(text)
    if not text:
        raise ValueError("the database location is empty")
    return Path(text)
