"""What only PostgreSQL needs: passwords kept out of every message, migrations that two processes
start together, and quotas exact across processes that each have their own pool."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from pathlib import Path

import asyncpg
import pytest

from bot.errors import QuotaExceeded
from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import Database, JobRecord, Limits, ReplyTarget
from bot.storage.postgres import DatabaseUnavailable
from bot.storage.schema import load_migrations
from bot.storage.urls import parse, redact_url, secrets_of, url_password
from tests import pg
from tests.unit.bot.storage.schema_steps import back_before_usage_days

PASSWORD = "s3cret-Pa55word"
GUILD = 1_000_000_000_000_001
USER = 2_000_000_000_000_001


# Passwords ------------------------------------------------------------------------------------


def test_a_url_is_shown_without_its_password() -> None:
    """Replace the password with *** and keep everything an admin needs to recognise the URL."""
    url = f"postgresql://bot:{PASSWORD}@db.internal:5432/imagebot?sslmode=require"
    assert redact_url(url) == "postgresql://bot:***@db.internal:5432/imagebot?sslmode=require"
    assert redact_url("postgresql://bot@db/x") == "postgresql://bot@db/x"
    assert redact_url("sqlite:///data/bot.db") == "sqlite:///data/bot.db"
    assert url_password(url) == PASSWORD
    assert secrets_of("postgresql://u:p%40ss@h/d") == ("p%40ss", "p@ss")
    assert PASSWORD not in repr(parse(url))


@pytest.mark.parametrize("url", [
    f"postgresql://bot:{PASSWORD}@/imagebot",
    f"postgresql://bot:{PASSWORD}@db:port/imagebot",
    f"postgresql://bot:{PASSWORD}@db:5432",
    f"postgresql://bot:{PASSWORD}@db:5432/x#frag",
])
def test_a_malformed_url_is_refused_without_its_password(url: str) -> None:
    """Say what is wrong with the URL, never repeating the password."""
    with pytest.raises(ValueError) as caught:
        parse(url)
    assert PASSWORD not in str(caught.value) and "***" in str(caught.value)


async def test_an_unreachable_server_is_named_without_the_password() -> None:
    """No server (a closed port on this machine): one readable error, no password, no chained cause."""
    with pytest.raises(DatabaseUnavailable) as caught:
        await Database.open(f"postgresql://bot:{PASSWORD}@127.0.0.1:1/imagebot")
    message = str(caught.value)
    assert "postgresql://bot:***@127.0.0.1:1/imagebot" in message and PASSWORD not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_a_refused_login_is_named_without_the_password(postgres_database: str) -> None:
    """A database that does not exist on a real server: the server's reason, no password."""
    url = pg.with_database(postgres_database, "imagebot_no_such_database").replace(
        "postgres@", f"postgres:{PASSWORD}@")
    with pytest.raises(DatabaseUnavailable) as caught:
        await Database.open(url)
    assert "does not exist" in str(caught.value) and PASSWORD not in str(caught.value)


async def test_describe_names_the_server_but_not_the_password(postgres_url: str) -> None:
    """``python -m bot check`` prints describe(): PostgreSQL, host and database, no password."""
    url = postgres_url.replace("postgres@", f"postgres:{PASSWORD}@")
    async with await Database.open(url) as db:
        assert db.describe().startswith("PostgreSQL postgresql://postgres:***@127.0.0.1")
        assert PASSWORD not in db.describe()
        assert (await db.server_version())[0].isdigit()


# Migrations -----------------------------------------------------------------------------------


def _copy_migrations(to: Path) -> Path:
    to.mkdir()
    for migration in load_migrations(dialect="postgresql"):
        (to / f"{migration.version:04d}_{migration.name}.sql").write_text(migration.sql)
    return to


def test_both_databases_have_the_same_migrations() -> None:
    """Every migration exists for both databases, with the same number and name."""
    sqlite = [(m.version, m.name) for m in load_migrations(dialect="sqlite")]
    postgres = [(m.version, m.name) for m in load_migrations(dialect="postgresql")]
    assert sqlite == postgres


async def test_two_processes_starting_together_migrate_once(own_postgres_url: str) -> None:
    """Two pools opening an empty database at once: every migration applied once, both open."""
    one, two = await asyncio.gather(Database.open(own_postgres_url), Database.open(own_postgres_url))
    try:
        expected = [(m.version, m.name) for m in load_migrations(dialect="postgresql")]
        assert await one.applied_migrations() == expected
        assert one.schema_version == two.schema_version == expected[-1][0]
    finally:
        await one.close()
        await two.close()


async def test_a_new_migration_applies_and_a_failing_one_changes_nothing(own_postgres_url: str,
                                                                         tmp_path: Path) -> None:
    """A new numbered file is applied on the next start; a broken one is rolled back whole."""
    folder = _copy_migrations(tmp_path / "migrations")
    async with await Database.open(own_postgres_url, migrations_dir=folder) as db:
        before = db.schema_version
    (folder / f"{before + 1:04d}_broken.sql").write_text("CREATE TABLE half (id BIGINT);\nTHIS IS NOT SQL;\n")
    with pytest.raises(Exception, match="syntax"):
        await Database.open(own_postgres_url, migrations_dir=folder)
    (folder / f"{before + 1:04d}_broken.sql").write_text(
        "-- a comment; with a semicolon\nCREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL);\n"
        "INSERT INTO notes (body) VALUES ('a; b');\n")
    async with await Database.open(own_postgres_url, migrations_dir=folder) as db:
        assert db.schema_version == before + 1
        assert (await db.fetchone("SELECT body FROM notes"))[0] == "a; b"
        assert await db.fetchall("SELECT 1 FROM pg_tables WHERE tablename = 'half'") == []


async def test_a_connection_goes_back_to_the_pool_without_a_reset_query(own_postgres_url: str) -> None:
    """asyncpg's default reset (``RESET ALL`` and more, on every release) is a round trip awaited
    before the caller goes on; the bot keeps no session state, so its pool sends nothing then. A
    transaction left open is still rolled back, and the advisory lock of a reservation is gone."""
    async with await Database.open(own_postgres_url) as db:
        sent: list[str] = []
        async with db._pool.acquire() as raw:  # the pool is what is tested
            def logged(record: asyncpg.connection.LoggedQuery) -> None:
                sent.append(record.query)

            raw.add_query_logger(logged)
            backend = await raw.fetchval("SELECT pg_backend_pid()")
            await raw.execute("BEGIN")  # left open: asyncpg rolls it back (and logs that it did)
            await raw.execute("SELECT pg_advisory_xact_lock(42)")
        assert sent[:3] == ["SELECT pg_backend_pid()", "BEGIN", "SELECT pg_advisory_xact_lock(42)"]
        assert sent[3:] == ["ROLLBACK"]  # asyncpg ends the open transaction; nothing else is sent
        async with db._pool.acquire() as raw:
            assert await raw.fetchval("SELECT pg_backend_pid()") == backend  # the same connection, reused
            assert not raw.is_in_transaction()
            assert await raw.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0
            raw.remove_query_logger(logged)


async def test_jobs_written_by_an_older_process_during_the_usage_days_migration_are_counted(
        own_postgres_url: str) -> None:
    """A process still on the old code refunds a job while a new one migrates to usage_days (a
    rolling upgrade): the migration waits for that write, so the server's totals count it."""
    async with await Database.open(own_postgres_url) as db:
        await db.quotas.reserve(kind=JobKind.GENERATE, user_id=USER, guild_id=GUILD,
                                options=ImageOptions(model="gpt-image-1", prompt="x", n=3),
                                reply=ReplyTarget(channel_id=1))
        await back_before_usage_days(db)
    older = await asyncpg.connect(own_postgres_url)
    try:
        refund = older.transaction()
        await refund.start()
        await older.execute("UPDATE jobs SET images_reserved = 0, cost_micros = 0")  # not committed yet
        migrating = asyncio.create_task(Database.open(own_postgres_url))
        await asyncio.sleep(0.5)  # the migration is under way, waiting for the refund
        await refund.commit()
        db = await asyncio.wait_for(migrating, 30)
    finally:
        await older.close()
    async with db:
        rows = await db.fetchall("SELECT images, cost_micros FROM usage_days WHERE guild_id = ?", (GUILD,))
        assert [tuple(r) for r in rows] in ([], [(0, 0)]), "the refund committed during the migration is counted"
        assert (await db.quotas.usage(user_id=USER, guild_id=GUILD)).guild_used == 0


# Quotas across processes ----------------------------------------------------------------------

PROCESSES = 3
REQUESTS = 100
LIMIT = 5


def _reserve_in_a_process(url: str, count: int, barrier: object, results: object) -> None:
    """One bot process: its own pool, ``count`` reservations at once once every process is ready."""

    async def main() -> tuple[int, int, list[str], float]:
        limits = Limits(user_daily=LIMIT, guild_daily=None, max_jobs_per_user=1000)
        async with await Database.open(url, limits=limits) as db:
            await asyncio.to_thread(barrier.wait, 60)  # type: ignore[attr-defined]
            started = time.perf_counter()
            outcomes = await asyncio.gather(*(
                db.quotas.reserve(kind=JobKind.GENERATE, user_id=USER, guild_id=GUILD,
                                  options=ImageOptions(model="gpt-image-1", prompt="x"),
                                  reply=ReplyTarget(channel_id=1))
                for _ in range(count)), return_exceptions=True)
            elapsed = time.perf_counter() - started
        accepted = sum(isinstance(o, JobRecord) for o in outcomes)
        refused = sum(isinstance(o, QuotaExceeded) for o in outcomes)
        others = [repr(o) for o in outcomes if not isinstance(o, JobRecord | QuotaExceeded)]
        return accepted, refused, others, elapsed

    results.put(asyncio.run(main()))  # type: ignore[attr-defined]


async def test_100_reservations_from_three_processes_against_a_limit_of_5_accept_exactly_5(
        postgres_url: str) -> None:
    """Three processes, each with its own pool, reserve 100 images at once against a limit of 5:
    exactly 5 are accepted, because every reservation takes the same advisory lock."""
    async with await Database.open(postgres_url):
        pass  # migrated before the race, so the workers race on reservations only
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    shares = [REQUESTS // PROCESSES + (1 if i < REQUESTS % PROCESSES else 0) for i in range(PROCESSES)]
    workers = [context.Process(target=_reserve_in_a_process, args=(postgres_url, n, barrier, results))
               for n in shares]
    for worker in workers:
        worker.start()
    try:
        outcomes = [await asyncio.to_thread(results.get, True, 120) for _ in workers]
    finally:
        for worker in workers:
            await asyncio.to_thread(worker.join, 30)
            if worker.is_alive():
                worker.kill()
    accepted = sum(o[0] for o in outcomes)
    refused = sum(o[1] for o in outcomes)
    print(f"\n{REQUESTS} reservations from {PROCESSES} processes against a limit of {LIMIT}: "
          f"{accepted} accepted, {refused} refused, per process {[o[:2] for o in outcomes]}, "
          f"slowest process {max(o[3] for o in outcomes) * 1000:.0f} ms")
    assert [o[2] for o in outcomes] == [[]] * PROCESSES
    assert (accepted, refused) == (LIMIT, REQUESTS - LIMIT)
    async with await Database.open(postgres_url) as db:
        assert (await db.quotas.usage(user_id=USER, guild_id=GUILD)).user_used == LIMIT
        assert len(await db.fetchall("SELECT id FROM jobs")) == LIMIT


async def test_reservations_stay_exact_where_the_server_defaults_to_repeatable_read(
        own_postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """An admin's server may make REPEATABLE READ every transaction's default. A reservation's
    snapshot must still come after its lock, or each would count without the ones just before it;
    and the admin is told at start what the default risks for the bot's single statements."""
    name = own_postgres_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(own_postgres_url, timeout=pg.CONNECT_TIMEOUT)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_isolation = \'repeatable read\'')
    finally:
        await admin.close()
    other = await asyncpg.connect(own_postgres_url, timeout=pg.CONNECT_TIMEOUT)
    try:
        assert await other.fetchval("SHOW default_transaction_isolation") == "repeatable read"
    finally:
        await other.close()
    limits = Limits(user_daily=LIMIT, guild_daily=None, max_jobs_per_user=1000)
    async with (await Database.open(own_postgres_url, limits=limits) as one,
                await Database.open(own_postgres_url, limits=limits) as two):
        outcomes = await asyncio.gather(*(
            db.quotas.reserve(kind=JobKind.GENERATE, user_id=USER, guild_id=GUILD,
                              options=ImageOptions(model="gpt-image-1", prompt="x"), reply=ReplyTarget(channel_id=1))
            for _ in range(30) for db in (one, two)), return_exceptions=True)
        assert [o for o in outcomes if not isinstance(o, JobRecord | QuotaExceeded)] == []
        assert sum(isinstance(o, JobRecord) for o in outcomes) == LIMIT
        assert (await one.quotas.usage(user_id=USER, guild_id=GUILD)).user_used == LIMIT
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len([w for w in warnings if "default isolation here is REPEATABLE READ" in w]) == 2  # one per open
