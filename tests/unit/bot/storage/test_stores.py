"""The stores no other storage test reaches, on both databases: intake, settings, blocked terms,
audit entries, and the job statements behind /jobs and telling a member. With the other files of
this folder, every SQL statement of ``bot/storage`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator

import pytest

from bot.errors import ValidationError
from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import Database, JobRecord, JobState, Limits, ReplyTarget
from bot.storage.audit import AuditEntry
from bot.storage.intake import ROWS_PER_INSERT, Intake
from bot.storage.trips import LONG_PER_BATCH
from tests.clock import FakeClock

GUILD = 1_000_000_000_000_001
OTHER_GUILD = 1_000_000_000_000_002
USER = 2_000_000_000_000_001
OTHER_USER = 2_000_000_000_000_002
CHANNEL = 3_000_000_000_000_001
LOG_CHANNEL = 3_000_000_000_000_009
BIG = 2**63 - 1
"""The largest snowflake either database must keep exactly."""


@pytest.fixture
async def db(db_url: str, clock: FakeClock) -> AsyncIterator[Database]:
    """A migrated database (a SQLite file, or PostgreSQL), on the test's clock."""
    limits = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=100)
    async with await Database.open(db_url, clock=clock, limits=limits) as database:
        yield database


def intake(job_id: str, *, guild_id: int | None = GUILD, created_at: float = 1.0) -> Intake:
    """A received request with every field set."""
    return Intake(job_id=job_id, kind=JobKind.EDIT, user_id=USER, guild_id=guild_id,
                  options=ImageOptions(model="gpt-image-1.5-plus", prompt="snow", images=("https://cdn/a.png",)),
                  reply=ReplyTarget(channel_id=CHANNEL, application_id=BIG, interaction_id=BIG - 1, token="tok",
                                    created_at=1.5, upload_limit=50 * 2**20, role_ids=(7, 8)),
                  parent_job_id="parent", created_at=created_at)


async def reserve(db: Database, *, user_id: int = USER, guild_id: int | None = GUILD,
                  progress_message_id: int | None = None) -> JobRecord:
    """Reserve a one-image generate job."""
    return await db.quotas.reserve(kind=JobKind.GENERATE, user_id=user_id, guild_id=guild_id,
                                   options=ImageOptions(model="gpt-image-1", prompt="a fox"),
                                   reply=ReplyTarget(channel_id=CHANNEL, token="tok", application_id=1,
                                                     created_at=1.0),
                                   progress_message_id=progress_message_id)


# Intake -------------------------------------------------------------------------------------


async def test_intake_keeps_every_field_and_groups_a_burst(db: Database) -> None:
    """Write a burst of requests (grouped commits), read them back whole and oldest first."""
    await asyncio.gather(*(db.intake.add(intake(f"r{i}", created_at=10.0 - i)) for i in range(5)))
    await db.intake.add(intake("r0"))  # the same request again is ignored, not an error
    pending = await db.intake.pending()
    assert [p.job_id for p in pending] == ["r4", "r3", "r2", "r1", "r0"]
    first = pending[-1]
    assert first == intake("r0", created_at=10.0)
    await db.intake.discard("r0")
    assert [p.job_id for p in await db.intake.pending()] == ["r4", "r3", "r2", "r1"]


async def test_a_burst_longer_than_one_statement_is_written_whole(db: Database) -> None:
    """More requests at once than one INSERT takes (and one of them twice in the same statement):
    every one is kept, once."""
    count = ROWS_PER_INSERT * 2 + 2  # with the one sent twice: 64, 64 and 3 (padded to 4)
    burst = [intake(f"b{i:03}", created_at=float(i)) for i in range(count)]
    sent = [*burst[:10], burst[5], *burst[10:]]
    await asyncio.wait_for(asyncio.gather(*(db.intake.add(request) for request in sent)), 30)
    assert await db.intake.pending() == burst


async def test_reserving_a_received_request_removes_its_intake_row(db: Database) -> None:
    """A request is in exactly one of the two tables: intake until reserved, jobs after."""
    await db.intake.add(intake("r1", guild_id=None))
    job = await db.quotas.reserve(kind=JobKind.GENERATE, user_id=USER, guild_id=None,
                                  options=ImageOptions(model="gpt-image-1", prompt="x"),
                                  reply=ReplyTarget(channel_id=CHANNEL), job_id="r1")
    assert job.id == "r1" and await db.intake.pending() == []


# Jobs: /jobs, telling, progress ---------------------------------------------------------------


async def test_jobs_of_a_member_and_of_a_server(db: Database, clock: FakeClock) -> None:
    """List a member's active jobs oldest first, then finished ones newest first; and a server's queue."""
    a = await reserve(db)
    clock.advance(seconds=1)
    b = await reserve(db)
    clock.advance(seconds=1)
    c = await reserve(db)
    clock.advance(seconds=1)
    d = await reserve(db, guild_id=None)
    await reserve(db, user_id=OTHER_USER)
    await db.jobs.finish(a.id, delivered=1)
    clock.advance(seconds=1)
    await db.jobs.fail(c.id, error="x")
    listed = await db.jobs.list_for_member(USER, GUILD)
    assert [j.id for j in listed] == [b.id, c.id, a.id]
    assert [j.id for j in await db.jobs.list_for_member(USER, GUILD, finished=1)] == [b.id, c.id]
    assert [j.id for j in await db.jobs.list_for_member(USER, None)] == [d.id]
    queue = await db.jobs.list_active_in_guild(GUILD)
    assert [j.user_id for j in queue] == [USER, OTHER_USER]
    assert len(await db.jobs.list_active_in_guild(GUILD, limit=1)) == 1


async def test_a_notice_is_kept_with_the_token_until_told(db: Database) -> None:
    """Store the sentence to tell with the refund, keep the token for it, forget both once told."""
    job = await reserve(db, progress_message_id=BIG)
    assert job.progress_message_id == BIG
    failed = await db.jobs.fail(job.id, error="boom", notice="No image this time.")
    assert failed.notice == "No image this time." and failed.reply.token == "tok"
    assert failed.progress_message_id == BIG
    (untold,) = await db.jobs.list_untold()
    assert untold.id == job.id
    await db.jobs.mark_told(job.id)
    told = await db.jobs.get(job.id)
    assert told is not None and told.notice is None and told.reply.token is None
    assert await db.jobs.list_untold() == []


async def test_a_failure_without_a_notice_forgets_the_token(db: Database) -> None:
    """A finished job keeps no credential to Discord unless a member is still to be told."""
    job = await reserve(db)
    failed = await db.jobs.fail(job.id, error="boom")
    assert failed.reply.token is None and failed.notice is None


async def test_snowflakes_keep_all_64_bits(db: Database) -> None:
    """Ids up to 2**63-1 come back exactly (BIGINT on PostgreSQL, INTEGER on SQLite)."""
    job = await reserve(db, user_id=BIG, guild_id=BIG - 2)
    await db.jobs.set_message(job.id, BIG - 3)
    stored = await db.jobs.get(job.id)
    assert stored is not None
    assert (stored.user_id, stored.guild_id, stored.message_id) == (BIG, BIG - 2, BIG - 3)
    assert isinstance(stored.created_at, float)


# Settings and blocked terms ---------------------------------------------------------------------


async def test_settings_update_only_what_is_given(db: Database) -> None:
    """Change the named columns, keep the others, and tell defaults from choices."""
    assert (await db.settings.get(GUILD)).default_model is None
    first = await db.settings.update(GUILD, by=USER, default_model="gpt-image-2", allowed_models=["gpt-image-2"],
                                     previews=False, moderation="low")
    assert (first.default_model, first.allowed_models, first.previews, first.moderation) == (
        "gpt-image-2", ("gpt-image-2",), False, "low")
    second = await db.settings.update(GUILD, by=OTHER_USER, log_channel_id=LOG_CHANNEL, previews=None)
    assert second.default_model == "gpt-image-2" and second.previews is None
    assert second.log_channel_id == LOG_CHANNEL and second.log_set_at is not None and second.updated_by == OTHER_USER
    assert [s.guild_id for s in await db.settings.log_channels()] == [GUILD]
    assert await db.settings.get(GUILD) == second


async def test_the_log_error_changes_once_and_only_for_the_current_channel(db: Database) -> None:
    """Say when the stored error really changed (log once), and ignore an old channel's news."""
    await db.settings.update(GUILD, by=USER, log_channel_id=LOG_CHANNEL)
    assert await db.settings.set_log_error(GUILD, LOG_CHANNEL, "403 Missing Access") is True
    assert await db.settings.set_log_error(GUILD, LOG_CHANNEL, "403 Missing Access") is False
    assert await db.settings.set_log_error(GUILD, CHANNEL, "other channel") is False
    assert (await db.settings.get(GUILD)).log_error == "403 Missing Access"
    assert await db.settings.set_log_error(GUILD, LOG_CHANNEL, None) is True
    assert await db.settings.set_log_error(GUILD, LOG_CHANNEL, None) is False


async def test_blocked_terms_add_list_limit_and_remove(db: Database) -> None:
    """Add a term once (its disguises are the same term), list alphabetically, cap the count."""
    assert await db.settings.add_term(GUILD, "zebra", by=USER) is True
    assert await db.settings.add_term(GUILD, "ZEBRA", by=USER) is False
    assert await db.settings.add_term(GUILD, "Apple", by=USER) is True
    assert [t.term for t in await db.settings.terms(GUILD)] == ["Apple", "zebra"]
    with pytest.raises(ValidationError, match="already blocks 2"):
        await db.settings.add_term(GUILD, "mango", by=USER, limit=2)
    assert await db.settings.add_terms(OTHER_GUILD, ["a1", "b2", "a1"], by=USER) == 2
    assert await db.settings.remove_term(GUILD, "zEbRa") is True
    assert await db.settings.remove_term(GUILD, "zebra") is False
    assert [t.term for t in await db.settings.terms(GUILD)] == ["Apple"]


async def test_concurrent_adds_never_pass_the_limit(db: Database) -> None:
    """The count and the insert are one exclusive step: 20 adds at once against room for 3 add 3."""
    results = await asyncio.gather(*(db.settings.add_term(GUILD, f"term{i}", by=USER, limit=3)
                                     for i in range(20)), return_exceptions=True)
    assert results.count(True) == 3
    assert len(await db.settings.terms(GUILD)) == 3


# Audit entries ----------------------------------------------------------------------------------


def entry(job_id: str) -> AuditEntry:
    """A pending audit entry."""
    return AuditEntry(job_id=job_id, guild_id=GUILD, log_channel_id=LOG_CHANNEL, state="pending",
                      outcome="failed", detail="boom", payload={"prompt": "a fox", "n": 1})


async def test_an_audit_entry_is_recorded_once_claimed_once_and_posted(db: Database) -> None:
    """Record once per job, let one claimer post, and keep the message id."""
    assert await db.audit.record(entry("j1")) is True
    assert await db.audit.record(entry("j1")) is False
    claims = await asyncio.gather(db.audit.claim("j1"), db.audit.claim("j1"))
    assert sum(c is not None for c in claims) == 1
    claimed = next(c for c in claims if c is not None)
    assert claimed.state == "claimed" and claimed.payload == {"prompt": "a fox", "n": 1}
    await db.audit.release("j1")
    assert (await db.audit.get("j1")).state == "pending"
    assert await db.audit.claim("j1") is not None
    await db.audit.mark_posted("j1", BIG)
    posted = await db.audit.get("j1")
    assert posted.state == "posted" and posted.message_id == BIG
    assert await db.audit.unfinished() == []


async def test_a_failed_audit_entry_keeps_why(db: Database) -> None:
    """Mark an entry failed with the reason appended to its detail; it is not tried again."""
    await db.audit.record(entry("j2"))
    await db.audit.record(AuditEntry(**{**entry("j3").__dict__, "detail": None}))
    assert [e.job_id for e in await db.audit.unfinished()] == ["j2", "j3"]
    await db.audit.mark_failed("j2", "403 Forbidden")
    await db.audit.mark_failed("j3", "404")
    assert (await db.audit.get("j2")).detail == "boom / not posted: 403 Forbidden"
    assert (await db.audit.get("j3")).detail == "not posted: 404"
    assert await db.audit.get("missing") is None


async def test_finished_jobs_without_an_entry_are_found(db: Database, clock: FakeClock) -> None:
    """Find the jobs a stop left without an audit entry, oldest first, and no others."""
    since = clock().timestamp()
    a = await reserve(db)
    b = await reserve(db)
    c = await reserve(db)
    await reserve(db)  # still running: not listed
    await db.jobs.finish(a.id, delivered=1)
    clock.advance(seconds=1)
    await db.jobs.fail(b.id, error="x")
    await db.jobs.finish(c.id, delivered=1)
    await db.audit.record(entry(c.id))
    found = await db.audit.unlogged_jobs(GUILD, since)
    assert [j.id for j in found] == [a.id, b.id]
    assert [j.state for j in found] == [JobState.DONE, JobState.FAILED]
    assert await db.audit.unlogged_jobs(OTHER_GUILD, since) == []
    assert json.loads(json.dumps([j.id for j in await db.audit.unlogged_jobs(GUILD, since, limit=1)])) == [a.id]


@pytest.fixture
async def sqlite_db(tmp_path) -> AsyncIterator[Database]:
    """A migrated SQLite database alone (the tests of what only SQLite does)."""
    async with await Database.open(f"sqlite:///{tmp_path / 'bot.db'}") as database:
        yield database


async def _deferred_child_table(conn) -> None:
    """A table whose foreign key SQLite checks only at COMMIT (a COMMIT it can refuse)."""
    await conn.execute("CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY)")
    await conn.execute("CREATE TEMP TABLE child "
                       "(p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)")


# Transactions as one function -------------------------------------------------------------


async def test_a_transaction_commits_what_its_body_did_and_returns_its_value(db: Database) -> None:
    """``transaction`` runs the body's statements as one unit and hands back what the body returns."""
    async def body(conn) -> int:
        await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES (?, ?, 0)", ("t-one", "1"))
        rows = await conn.execute_fetchall("SELECT COUNT(*) FROM meta WHERE key = ?", ("t-one",))
        return int(rows[0][0])

    assert await db.transaction(body) == 1
    assert (await db.fetchone("SELECT value FROM meta WHERE key = ?", ("t-one",)))[0] == "1"


async def test_a_transaction_whose_body_raises_leaves_nothing(db: Database) -> None:
    """A refusal raised half way (after a write) rolls the write back and reaches the caller."""
    async def body(conn) -> None:
        await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES (?, ?, 0)", ("t-two", "1"))
        raise ValidationError(msg_id="quota-left-unlimited")

    with pytest.raises(ValidationError):
        await db.transaction(body)
    assert await db.fetchone("SELECT value FROM meta WHERE key = ?", ("t-two",)) is None
    await db.transaction(_noop)


async def _noop(conn) -> None:
    """A body that writes nothing (the connection is usable after a rollback)."""
    await conn.execute_fetchall("SELECT 1")


async def test_a_sqlite_transaction_body_may_not_wait_for_anything_else(sqlite_db: Database) -> None:
    """On SQLite the body runs on the connection's thread: awaiting anything but ``conn`` is refused,
    and what it wrote before is rolled back."""
    db = sqlite_db
    async def body(conn) -> None:
        await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES (?, ?, 0)", ("t-three", "1"))
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="awaited something other than its connection"):
        await db.transaction(body)
    assert await db.fetchone("SELECT value FROM meta WHERE key = ?", ("t-three",)) is None
    await db.transaction(_noop)


async def test_a_sqlite_transaction_whose_commit_fails_leaves_the_connection_usable(sqlite_db: Database) -> None:
    """A COMMIT that SQLite refuses (here a deferred constraint) rolls back instead of leaving the
    one connection inside a transaction that would swallow every later write."""
    db = sqlite_db
    async def orphan(conn) -> None:
        await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES (?, ?, 0)", ("t-four", "1"))
        await conn.execute("INSERT INTO child VALUES (7)")  # refused only at COMMIT

    await db.transaction(_deferred_child_table)
    with pytest.raises(sqlite3.IntegrityError):
        await db.transaction(orphan)
    assert await db.fetchone("SELECT value FROM meta WHERE key = ?", ("t-four",)) is None
    await db.transaction(_noop)


# SQLite's trips in batches ------------------------------------------------------------------


async def test_sqlite_trips_arriving_together_share_trips_to_the_thread(sqlite_db: Database) -> None:
    """Statements and transactions sent at once reach the connection's thread in a few batches;
    each keeps its own result and its own failure. In a batch, urgent transactions go first,
    then single statements, then at most LONG_PER_BATCH other transactions, each kind in the
    order it came. A trip cancelled before its batch went never runs."""
    db = sqlite_db
    hops = 0
    execute = db._conn._execute  # type: ignore[attr-defined]

    async def counted(fn, *args):
        nonlocal hops
        hops += 1
        return await execute(fn, *args)

    db._conn._execute = counted  # type: ignore[attr-defined]

    async def insert(key: str, *, urgent: bool = False) -> int:
        async def body(conn) -> int:  # how many came before it, itself included
            await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES (?, ?, 0)", (key, "v"))
            rows = await conn.execute_fetchall("SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'")
            return int(rows[0][0])
        return await db.transaction(body, urgent=urgent)

    async def refused() -> None:
        await db.write_one("INSERT INTO meta (key, value, updated_at) VALUES (NULL, NULL, NULL)")

    cancelled = asyncio.create_task(db.write_one(
        "INSERT INTO meta (key, value, updated_at) VALUES ('cancelled', 'v', 0)"))
    cancelled.cancel()
    results = await asyncio.gather(*(insert(f"k{i}") for i in range(20)), refused(),
                                   db.fetchall("SELECT key FROM meta WHERE key LIKE 'k%'"),
                                   insert("k-urgent", urgent=True), return_exceptions=True)
    assert results[22] == 1, "the urgent transaction, sent last, went first"
    assert results[:20] == list(range(2, 22)), "the others in the order they came"
    assert isinstance(results[20], sqlite3.IntegrityError)
    assert [row[0] for row in results[21]] == ["k-urgent"], "the statement went before the transactions"
    assert hops == 20 // LONG_PER_BATCH, f"{hops} trips to the thread for 23 statements sent together"
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert await db.fetchone("SELECT 1 FROM meta WHERE key = 'cancelled'") is None


async def test_a_sqlite_trip_never_runs_inside_an_open_session(sqlite_db: Database) -> None:
    """A statement sent while a multi-statement transaction is open waits for its end: it never
    sees the work of a transaction that then rolls back, nor lands inside it."""
    db = sqlite_db
    inside = asyncio.Event()
    read: asyncio.Task[list] | None = None
    with pytest.raises(ValidationError):
        async with db.write() as conn:
            await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES ('half', 'v', 0)")
            read = asyncio.create_task(db.fetchall("SELECT key FROM meta WHERE key = 'half'"))
            written = asyncio.create_task(db.write_one(
                "INSERT INTO meta (key, value, updated_at) VALUES ('beside', 'v', 0)"))
            await asyncio.sleep(0.05)
            inside.set()
            assert not read.done() and not written.done(), "they wait for the session to end"
            raise ValidationError(msg_id="quota-left-unlimited")
    assert inside.is_set() and read is not None
    assert await read == []
    await written
    assert await db.fetchone("SELECT 1 FROM meta WHERE key = 'beside'") is not None, "not rolled back with it"


async def test_a_sqlite_batch_refused_at_commit_fails_only_the_trip_at_fault(sqlite_db: Database) -> None:
    """A batch is one transaction: when SQLite refuses its COMMIT (here a deferred constraint that
    one trip broke), the others are run again alone and kept; only that trip fails."""
    db = sqlite_db
    async def orphan(conn) -> None:
        await conn.execute("INSERT INTO child VALUES (7)")  # refused only at COMMIT

    await db.transaction(_deferred_child_table)
    results = await asyncio.gather(
        db.write_one("INSERT INTO meta (key, value, updated_at) VALUES ('before', 'v', 0)"),
        db.transaction(orphan),
        db.write_one("INSERT INTO meta (key, value, updated_at) VALUES ('after', 'v', 0)"),
        return_exceptions=True)
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert results[0] == results[2] == []
    rows = await db.fetchall("SELECT key FROM meta WHERE key IN ('before', 'after') ORDER BY key")
    assert [row[0] for row in rows] == ["after", "before"]
    assert await db.fetchall("SELECT * FROM child") == []


async def test_a_sqlite_trip_cancelled_while_a_session_holds_the_lock_never_runs(sqlite_db: Database) -> None:
    """A trip whose caller is cancelled while its batch waits for a session to end is dropped:
    ``transaction``'s promise (a caller cancelled before its batch is sent runs nothing)."""
    db = sqlite_db
    async def insert(conn) -> None:
        await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES ('dropped', 'v', 0)")

    async with db.write() as conn:
        await conn.execute("INSERT INTO meta (key, value, updated_at) VALUES ('session', 'v', 0)")
        waiting = asyncio.create_task(db.transaction(insert))
        kept = asyncio.create_task(db.write_one(
            "INSERT INTO meta (key, value, updated_at) VALUES ('kept', 'v', 0)"))
        await asyncio.sleep(0.05)  # both in a batch that waits for the lock
        waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await kept
    rows = await db.fetchall("SELECT key FROM meta WHERE key IN ('session', 'dropped', 'kept') ORDER BY key")
    assert [row[0] for row in rows] == ["kept", "session"]
