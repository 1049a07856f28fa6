"""The database: URLs, opening, pragmas, migrations and the key/value store."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.storage import Database, parse_database_url
from bot.storage.database import load_migrations, split_statements

# parse_database_url -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///data/bot.db", Path("data/bot.db")),
        ("sqlite:///bot.db", Path("bot.db")),
        ("sqlite:////var/lib/bot/bot.db", Path("/var/lib/bot/bot.db")),
        ("sqlite+aiosqlite:///data/bot.db", Path("data/bot.db")),
        ("  sqlite:///data/bot.db\n", Path("data/bot.db")),
        ("sqlite:///data/my%20bot.db", Path("data/my bot.db")),
    ],
)
def test_parse_database_url_accepts_sqlalchemy_forms(url: str, expected: Path) -> None:
    """Read relative (three slashes) and absolute (four slashes) SQLite URLs as SQLAlchemy does."""
    assert parse_database_url(url) == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://admin:hunter2@db.example/bot", "PostgreSQL database, which has no file path"),
        ("mysql://root@localhost/bot", "only SQLite and PostgreSQL"),
        ("sqlite://data/bot.db", "three slashes"),
        ("sqlite:///", "names no file"),
        ("sqlite:///data/", "names no file"),
        ("data/bot.db", "must be a URL"),
        ("", "empty"),
        ("sqlite:///bot.db?mode=ro", "query parameters"),
        ("sqlite:///:memory:", "in-memory"),
    ],
)
def test_parse_database_url_refuses_with_a_readable_message(url: str, words: str) -> None:
    """Refuse anything but a sqlite:/// file URL with a sentence that says what to write."""
    with pytest.raises(ValueError, match=words):
        parse_database_url(url)


def test_parse_database_url_never_repeats_a_password() -> None:
    """Keep the password of a non-SQLite URL out of the error an admin may paste somewhere."""
    for url in ("postgresql://admin:hunter2@db.example/bot", "mysql://admin:hunter2@db.example/bot"):
        with pytest.raises(ValueError) as caught:
            parse_database_url(url)
        assert "hunter2" not in str(caught.value)


# Opening ------------------------------------------------------------------------------------


async def test_open_creates_the_folder_and_turns_on_wal(tmp_path: Path) -> None:
    """Create missing folders and open the file in WAL mode with foreign keys and a busy timeout."""
    path = tmp_path / "nested" / "deeper" / "bot.db"
    async with await Database.open(path) as db:
        assert db.path == path
        assert path.exists()
        assert await db.journal_mode() == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] >= 1000
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_open_accepts_a_relative_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve sqlite:///relative/path.db against the working directory, as the .env expects."""
    monkeypatch.chdir(tmp_path)
    async with await Database.open("sqlite:///data/bot.db") as db:
        assert db.path == Path("data/bot.db")
    assert (tmp_path / "data" / "bot.db").exists()


async def test_open_accepts_an_absolute_url(tmp_path: Path) -> None:
    """Open sqlite:////absolute/path.db at that absolute path."""
    target = tmp_path / "abs" / "bot.db"
    async with await Database.open(f"sqlite:///{target}") as db:
        assert db.path == target
    assert target.exists()


async def test_open_in_memory() -> None:
    """Open ":memory:" with the full schema and no file."""
    async with await Database.open(":memory:") as db:
        assert db.path is None
        assert db.schema_version == load_migrations()[-1].version
        assert await db.jobs.list_active() == []


async def test_open_refuses_a_bad_url_before_touching_the_disk(tmp_path: Path) -> None:
    """Stop with a ValueError on a URL that is neither SQLite nor PostgreSQL."""
    with pytest.raises(ValueError, match="only SQLite and PostgreSQL"):
        await Database.open("mysql://u:p@host/db")


async def test_close_is_idempotent_and_final(db_url: str) -> None:
    """Close twice without error, and refuse statements after closing."""
    db = await Database.open(db_url)
    await db.close()
    await db.close()
    with pytest.raises(RuntimeError, match="closed"):
        await db.meta.get("x")


# Migrations ---------------------------------------------------------------------------------


async def test_migrations_apply_once_and_reopening_is_a_no_op(own_db_url: str) -> None:
    """Apply every migration on the first open and none again when the database is reopened."""
    path = own_db_url
    expected = [(m.version, m.name) for m in load_migrations()]
    async with await Database.open(path) as db:
        assert await db.applied_migrations() == expected
        assert db.schema_version == expected[-1][0]
        first = await db.fetchall("SELECT version, applied_at FROM schema_migrations")
        await db.meta.set("kept", "yes")
    async with await Database.open(path) as db:
        again = await db.fetchall("SELECT version, applied_at FROM schema_migrations")
        assert [tuple(r) for r in again] == [tuple(r) for r in first]
        assert db.schema_version == expected[-1][0]
        assert await db.meta.get("kept") == "yes"


def _copy_migrations(to: Path) -> Path:
    """Copy the packaged migrations into a folder a test may add files to."""
    to.mkdir()
    for migration in load_migrations():
        (to / f"{migration.version:04d}_{migration.name}.sql").write_text(migration.sql)
    return to


async def test_a_new_migration_is_applied_on_the_next_start(tmp_path: Path) -> None:
    """Apply only the new numbered file when a database from an older version is opened."""
    folder = _copy_migrations(tmp_path / "migrations")
    path = tmp_path / "bot.db"
    async with await Database.open(path, migrations_dir=folder) as db:
        before = db.schema_version
    (folder / f"{before + 1:04d}_notes.sql").write_text(
        "-- a comment; with a semicolon\n"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n"
        "INSERT INTO notes (body) VALUES ('a; b');\n"
    )
    async with await Database.open(path, migrations_dir=folder) as db:
        assert db.schema_version == before + 1
        assert (await db.fetchone("SELECT body FROM notes"))[0] == "a; b"


async def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    """Roll a broken migration back as a whole and leave the schema version where it was."""
    folder = _copy_migrations(tmp_path / "migrations")
    path = tmp_path / "bot.db"
    async with await Database.open(path, migrations_dir=folder) as db:
        before = db.schema_version
    (folder / f"{before + 1:04d}_broken.sql").write_text("CREATE TABLE half (id INTEGER);\nTHIS IS NOT SQL;\n")
    with pytest.raises(sqlite3.OperationalError):
        await Database.open(path, migrations_dir=folder)
    (folder / f"{before + 1:04d}_broken.sql").unlink()
    async with await Database.open(path, migrations_dir=folder) as db:
        assert db.schema_version == before
        tables = await db.fetchall("SELECT name FROM sqlite_master WHERE name = 'half'")
        assert tables == []


async def test_a_database_newer_than_the_bot_is_refused(own_db_url: str) -> None:
    """Refuse to run on a schema from a newer bot rather than corrupt it."""
    path = own_db_url
    async with await Database.open(path) as db:
        async with db.write() as conn:
            await conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 0)")
    with pytest.raises(RuntimeError, match="newer than this bot"):
        await Database.open(path)


def test_split_statements_keeps_triggers_and_strings_whole() -> None:
    """Split a migration at statement ends only, not at semicolons inside triggers or strings."""
    script = """
    -- leading comment;
    CREATE TABLE t (x TEXT);
    CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
        UPDATE t SET x = 'a;b' WHERE rowid = new.rowid;
    END;
    -- trailing comment
    """
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


# Meta ---------------------------------------------------------------------------------------


async def test_meta_stores_and_replaces_values(db_url: str) -> None:
    """Keep one value per key (e.g. the hash of the synced commands), replacing on set."""
    async with await Database.open(db_url) as db:
        assert await db.meta.get("commands_hash") is None
        await db.meta.set("commands_hash", "abc")
        await db.meta.set("commands_hash", "def")
        assert await db.meta.get("commands_hash") == "def"
        assert await db.meta.delete("commands_hash") is True
        assert await db.meta.delete("commands_hash") is False
        assert await db.meta.get("commands_hash") is None


# Transactions -------------------------------------------------------------------------------


async def test_an_error_inside_a_write_rolls_it_back(db_url: str) -> None:
    """Keep nothing of a write transaction that raised."""
    async with await Database.open(db_url) as db:
        with pytest.raises(KeyError):
            async with db.write() as conn:
                await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES ('k', 'v', 0)")
                raise KeyError("boom")
        assert await db.meta.get("k") is None
        await db.meta.set("k", "after")  # the connection is not left inside a transaction
        assert await db.meta.get("k") == "after"


@pytest.mark.parametrize("pause", [0, 1, 3])
async def test_a_cancelled_write_rolls_back_and_leaves_the_database_usable(db_url: str, pause: int) -> None:
    """Roll back a transaction whose task is cancelled at any await, and keep serving others."""
    async with await Database.open(db_url) as db:
        inserted = asyncio.Event()

        async def slow_write() -> None:
            async with db.write() as conn:
                await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES ('k', 'v', 0)")
                inserted.set()
                await asyncio.sleep(10)

        task = asyncio.create_task(slow_write())
        for _ in range(pause):
            await asyncio.sleep(0)
        if pause == 3:
            await inserted.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await db.meta.get("k") is None
        await db.meta.set("other", "ok")
        assert await db.meta.get("other") == "ok"
