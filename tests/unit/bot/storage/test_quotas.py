"""Daily quotas: reservation arithmetic, overrides, rollover, concurrency and statistics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.errors import QuotaExceeded, TooManyJobs
from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import Database, JobRecord, JobState, Limits, OverrideScope, QuotaStore, ReplyTarget
from tests.clock import START, FakeClock
from tests.unit.bot.storage.schema_steps import back_before_usage_days

GUILD_A = 1_000_000_000_000_001
GUILD_B = 1_000_000_000_000_002
ALICE = 2_000_000_000_000_001
BOB = 2_000_000_000_000_002
CAROL = 2_000_000_000_000_003
ADMIN = 2_000_000_000_000_999
ROLE_ARTIST = 4_000_000_000_000_001
ROLE_PATRON = 4_000_000_000_000_002
ROLE_NEWBIE = 4_000_000_000_000_003
CHANNEL = 3_000_000_000_000_001
LIMITS = Limits(user_daily=10, guild_daily=100, max_jobs_per_user=1000)
NOON = START  # where the clock fixture starts: noon UTC on 14 March 2026
MIDNIGHT = datetime(2026, 3, 15, tzinfo=UTC)


@pytest.fixture
async def db(db_url: str, clock: FakeClock) -> AsyncIterator[Database]:
    """A migrated database (a SQLite file, or PostgreSQL), on the test's clock."""
    async with await Database.open(db_url, clock=clock, limits=LIMITS) as database:
        yield database


async def reserve(
    db: Database,
    images: int = 1,
    *,
    user_id: int = ALICE,
    guild_id: int | None = GUILD_A,
    role_ids: tuple[int, ...] = (),
    limits: Limits = LIMITS,
    **extra: Any,
) -> JobRecord:
    """Reserve a generate job with the test's defaults."""
    store = db.quotas if limits == db.quotas.limits else QuotaStore(db, limits, clock=db.clock)
    return await store.reserve(
        kind=JobKind.GENERATE,
        user_id=user_id,
        guild_id=guild_id,
        options=ImageOptions(model="gpt-image-1", prompt="a lighthouse", n=images),
        reply=ReplyTarget(channel_id=CHANNEL, role_ids=tuple(role_ids)),
        **extra,
    )


async def used(db: Database, user_id: int = ALICE, guild_id: int | None = GUILD_A) -> int:
    """A member's images counted today in a server (or DMs)."""
    return (await db.quotas.usage(user_id=user_id, guild_id=guild_id)).user_used


# Reserve, commit, refund ----------------------------------------------------------------


async def test_reserve_counts_against_todays_quota(db: Database) -> None:
    """Count a reservation against the member and the server as soon as it is made."""
    await reserve(db, 4)
    usage = await db.quotas.usage(user_id=ALICE, guild_id=GUILD_A)
    assert (usage.user_used, usage.guild_used, usage.active_jobs) == (4, 4, 1)
    assert usage.day == "2026-03-14"
    assert usage.resets_at == MIDNIGHT


async def test_over_the_member_limit_is_refused_with_the_numbers(db: Database) -> None:
    """Refuse a request that would pass the member's limit and say used, limit and reset time."""
    await reserve(db, 8)
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 3)
    error = caught.value
    assert (error.scope, error.used, error.limit, error.requested) == ("member", 8, 10, 3)
    assert error.resets_at == MIDNIGHT
    # Nothing was stored for the refused request; the remaining 2 can still be used.
    assert await used(db) == 8
    await reserve(db, 2)
    assert await used(db) == 10


async def test_partial_refund_frees_quota_for_the_next_request(db: Database) -> None:
    """Give back undelivered images so the member can use them again the same day."""
    job = await reserve(db, 10)
    with pytest.raises(QuotaExceeded):
        await reserve(db, 1)
    await db.jobs.finish(job.id, delivered=7)
    assert await used(db) == 7
    await reserve(db, 3)
    assert await used(db) == 10


async def test_full_refund_frees_the_whole_reservation(db: Database) -> None:
    """Give back every image of a failed job."""
    job = await reserve(db, 10)
    await db.jobs.fail(job.id, error="provider error")
    assert await used(db) == 0
    await reserve(db, 10)


async def test_refused_reservation_changes_nothing(db: Database) -> None:
    """Leave no job behind when a reservation is refused."""
    with pytest.raises(QuotaExceeded):
        await reserve(db, 11)
    assert await db.jobs.list_active() == []
    assert await used(db) == 0


async def test_reserve_rejects_nonsense_before_touching_the_database(db: Database) -> None:
    """Refuse zero or negative images and unknown kinds as programming errors."""
    for images in (0, -1):
        with pytest.raises(ValueError):
            await reserve(db, images)
    with pytest.raises(ValueError):
        await db.quotas.reserve(
            kind="upscale",
            user_id=ALICE,
            guild_id=GUILD_A,
            options=ImageOptions(model="gpt-image-1", prompt="a lighthouse"),
            reply=ReplyTarget(channel_id=CHANNEL),
        )


# Day rollover -----------------------------------------------------------------------------


async def test_quota_resets_at_utc_midnight(db: Database, clock: FakeClock) -> None:
    """Start every member's count again at UTC midnight, by the injected clock."""
    clock.set(datetime(2026, 3, 14, 23, 59, 59, tzinfo=UTC))
    yesterday_job = await reserve(db, 10)
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 1)
    assert caught.value.resets_at == MIDNIGHT
    clock.set(MIDNIGHT)
    assert await used(db) == 0
    job = await reserve(db, 10)
    assert job.quota_day == "2026-03-15"
    assert db.quotas.next_reset() == datetime(2026, 3, 16, tzinfo=UTC)
    # Finishing yesterday's job late charges (or refunds) yesterday, never today.
    await db.jobs.fail(yesterday_job.id, error="late")
    assert await used(db) == 10


async def test_next_reset_is_the_next_utc_midnight(db: Database, clock: FakeClock) -> None:
    """Tell members when their quota resets, in UTC whatever the clock's time zone."""
    tokyo = datetime(2026, 3, 15, 8, 0, tzinfo=UTC).astimezone(datetime.now().astimezone().tzinfo)
    clock.set(tokyo)
    assert db.quotas.next_reset() == datetime(2026, 3, 16, tzinfo=UTC)
    clock.set(datetime(2026, 12, 31, 23, 0))  # naive: taken as UTC
    assert db.quotas.next_reset() == datetime(2027, 1, 1, tzinfo=UTC)


# Overrides and precedence -----------------------------------------------------------------


async def test_member_override_beats_roles_and_server(db: Database) -> None:
    """Apply a member's own override before any role or server default."""
    q = db.quotas
    await q.set_override(GUILD_A, OverrideScope.SERVER_MEMBER_DEFAULT, None, 50, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_PATRON, None, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.MEMBER, ALICE, 2, ADMIN)
    eff = await q.effective_limits(user_id=ALICE, guild_id=GUILD_A, role_ids=[ROLE_PATRON])
    assert (eff.user_limit, eff.user_source) == (2, "member override")
    await reserve(db, 2, role_ids=(ROLE_PATRON,))
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 1, role_ids=(ROLE_PATRON,))
    assert caught.value.limit == 2


async def test_role_override_beats_the_server_default(db: Database) -> None:
    """Apply a role's limit before the server's per-member default, even when it is lower."""
    q = db.quotas
    await q.set_override(GUILD_A, OverrideScope.SERVER_MEMBER_DEFAULT, None, 50, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_NEWBIE, 3, ADMIN)
    eff = await q.effective_limits(user_id=ALICE, guild_id=GUILD_A, role_ids=[ROLE_NEWBIE])
    assert (eff.user_limit, eff.user_source, eff.user_role_id) == (
        3,
        f"role {ROLE_NEWBIE}",
        ROLE_NEWBIE,
    )
    eff_bob = await q.effective_limits(user_id=BOB, guild_id=GUILD_A, role_ids=[])
    assert (eff_bob.user_limit, eff_bob.user_source) == (50, "server default")
    with pytest.raises(QuotaExceeded):
        await reserve(db, 4, role_ids=(ROLE_NEWBIE,))
    await reserve(db, 20, user_id=BOB)


async def test_most_generous_role_wins(db: Database) -> None:
    """Give a member with several limited roles the highest of their limits."""
    q = db.quotas
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_NEWBIE, 3, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_ARTIST, 30, ADMIN)
    eff = await q.effective_limits(
        user_id=ALICE,
        guild_id=GUILD_A,
        role_ids=[ROLE_NEWBIE, ROLE_ARTIST, ROLE_PATRON],
    )
    assert (eff.user_limit, eff.user_source) == (30, f"role {ROLE_ARTIST}")
    await reserve(db, 30, role_ids=(ROLE_NEWBIE, ROLE_ARTIST))


async def test_unlimited_role_beats_any_number(db: Database) -> None:
    """Treat an unlimited role as more generous than any numeric role limit."""
    q = db.quotas
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_ARTIST, 1000, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_PATRON, None, ADMIN)
    eff = await q.effective_limits(user_id=ALICE, guild_id=GUILD_A, role_ids=[ROLE_ARTIST, ROLE_PATRON])
    assert (eff.user_limit, eff.user_source) == (None, f"role {ROLE_PATRON}")
    # Unlimited for the member; the server total (100) still applies.
    await reserve(db, 100, role_ids=(ROLE_PATRON,))
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 1, role_ids=(ROLE_PATRON,))
    assert caught.value.scope == "server"


async def test_zero_blocks(db: Database) -> None:
    """Block a member whose limit is 0 even when a role or the server would allow more."""
    q = db.quotas
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_PATRON, None, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.MEMBER, ALICE, 0, ADMIN)
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 1, role_ids=(ROLE_PATRON,))
    assert (caught.value.limit, caught.value.used) == (0, 0)
    assert "switched off" in str(caught.value)


async def test_zero_server_total_blocks_everyone(db: Database) -> None:
    """Switch a whole server off with a server total of 0."""
    await db.quotas.set_override(GUILD_A, OverrideScope.SERVER_TOTAL, None, 0, ADMIN)
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 1, user_id=BOB)
    assert caught.value.scope == "server"
    await reserve(db, 1, guild_id=GUILD_B)  # another server is not affected


async def test_bot_default_applies_without_overrides(db: Database) -> None:
    """Fall back to the configured limits, naming them as the bot's defaults."""
    eff = await db.quotas.effective_limits(user_id=ALICE, guild_id=GUILD_A, role_ids=[ROLE_ARTIST])
    assert (eff.user_limit, eff.user_source) == (10, "bot default")
    assert (eff.guild_limit, eff.guild_source) == (100, "bot default")
    assert eff.personal is False


async def test_unlimited_defaults_do_not_limit(db: Database) -> None:
    """Let configuration lift both limits with None."""
    limits = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=5)
    job = await reserve(db, 500, limits=limits)
    assert job.images_reserved == 500


async def test_server_total_override_beats_the_bot_default(db: Database) -> None:
    """Apply an admin's server total instead of GUILD_DAILY_IMAGES."""
    await db.quotas.set_override(GUILD_A, OverrideScope.SERVER_TOTAL, None, 5, ADMIN)
    eff = await db.quotas.effective_limits(user_id=ALICE, guild_id=GUILD_A, role_ids=[])
    assert (eff.guild_limit, eff.guild_source) == (5, "server override")


async def test_images_left_says_what_usage_and_effective_limits_say(db: Database) -> None:
    """The one-statement read of a result's "images left" agrees with the two reads it replaces,
    with no override, with each kind, in another server and in direct messages."""
    q = db.quotas

    async def agree(user_id: int, guild_id: int | None, role_ids: tuple[int, ...]) -> tuple[int, int | None]:
        left = await q.images_left(user_id=user_id, guild_id=guild_id, role_ids=role_ids)
        usage = await q.usage(user_id=user_id, guild_id=guild_id)
        limits = await q.effective_limits(user_id=user_id, guild_id=guild_id, role_ids=role_ids)
        assert left == (usage.user_used, limits.user_limit)
        return left

    assert await agree(ALICE, GUILD_A, ()) == (0, 10)
    await reserve(db, 3)
    await reserve(db, 2, user_id=BOB)
    await reserve(db, 4, guild_id=None)
    assert await agree(ALICE, GUILD_A, ()) == (3, 10)
    assert await agree(ALICE, None, ()) == (4, 10)
    assert await agree(ALICE, GUILD_B, ()) == (0, 10)
    await q.set_override(GUILD_A, OverrideScope.SERVER_MEMBER_DEFAULT, None, 50, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.SERVER_TOTAL, None, 70, ADMIN)
    assert await agree(ALICE, GUILD_A, ()) == (3, 50)
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_ARTIST, 30, ADMIN)
    await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_PATRON, None, ADMIN)
    assert await agree(ALICE, GUILD_A, (ROLE_ARTIST,)) == (3, 30)
    assert await agree(ALICE, GUILD_A, (ROLE_ARTIST, ROLE_PATRON)) == (3, None)
    await q.set_override(GUILD_A, OverrideScope.MEMBER, BOB, 4, ADMIN)
    assert await agree(BOB, GUILD_A, (ROLE_PATRON,)) == (2, 4)
    assert await agree(ALICE, GUILD_B, (ROLE_ARTIST,)) == (0, 10)


async def test_overrides_are_listed_replaced_cleared_and_kept(db_url: str, clock: FakeClock) -> None:
    """Keep admins' limits across restarts, replace them on set and drop them on clear."""
    path = db_url
    async with await Database.open(path, clock=clock, limits=LIMITS) as db:
        q = db.quotas
        await q.set_override(GUILD_A, OverrideScope.MEMBER, ALICE, 5, ADMIN)
        await q.set_override(GUILD_A, OverrideScope.MEMBER, ALICE, 6, ADMIN)
        await q.set_override(GUILD_A, OverrideScope.ROLE, ROLE_ARTIST, None, ADMIN)
        await q.set_override(GUILD_A, OverrideScope.SERVER_TOTAL, None, 70, ADMIN)
        await q.set_override(GUILD_A, OverrideScope.SERVER_MEMBER_DEFAULT, None, 7, ADMIN)
        await q.set_override(GUILD_B, OverrideScope.MEMBER, ALICE, 1, ADMIN)
    async with await Database.open(path, clock=clock, limits=LIMITS) as db:
        q = db.quotas
        listed = [(o.scope, o.target_id, o.limit) for o in await q.list_overrides(GUILD_A)]
        assert listed == [
            (OverrideScope.SERVER_TOTAL, None, 70),
            (OverrideScope.SERVER_MEMBER_DEFAULT, None, 7),
            (OverrideScope.ROLE, ROLE_ARTIST, None),
            (OverrideScope.MEMBER, ALICE, 6),
        ]
        assert (await q.list_overrides(GUILD_A))[0].set_by == ADMIN
        assert await q.clear_override(GUILD_A, OverrideScope.MEMBER, ALICE) is True
        assert await q.clear_override(GUILD_A, OverrideScope.MEMBER, ALICE) is False
        eff = await q.effective_limits(user_id=ALICE, guild_id=GUILD_A, role_ids=[])
        assert (eff.user_limit, eff.user_source) == (7, "server default")
        assert len(await q.list_overrides(GUILD_B)) == 1


async def test_set_override_refuses_inconsistent_targets(db: Database) -> None:
    """Refuse a role/member override without an id, a server override with one, and limits < 0."""
    q = db.quotas
    with pytest.raises(ValueError):
        await q.set_override(GUILD_A, OverrideScope.ROLE, None, 5, ADMIN)
    with pytest.raises(ValueError):
        await q.set_override(GUILD_A, OverrideScope.SERVER_TOTAL, 123, 5, ADMIN)
    with pytest.raises(ValueError):
        await q.set_override(GUILD_A, OverrideScope.MEMBER, ALICE, -1, ADMIN)
    assert await q.list_overrides(GUILD_A) == []


# Jobs per member --------------------------------------------------------------------------


async def test_too_many_jobs_is_refused(db: Database) -> None:
    """Refuse a new job while the member already has max_jobs_per_user under way."""
    limits = Limits(user_daily=10, guild_daily=100, max_jobs_per_user=2)
    first = await reserve(db, limits=limits)
    await reserve(db, limits=limits, guild_id=GUILD_B)  # counts across servers
    with pytest.raises(TooManyJobs) as caught:
        await reserve(db, limits=limits)
    assert (caught.value.running, caught.value.limit) == (2, 2)
    await reserve(db, limits=limits, user_id=BOB)  # others are not affected
    await db.jobs.finish(first.id, delivered=1)
    await reserve(db, limits=limits)


async def test_concurrent_jobs_per_member_are_exact(db: Database) -> None:
    """Accept exactly max_jobs_per_user of many simultaneous requests from one member."""
    limits = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=2)
    results = await asyncio.gather(*(reserve(db, limits=limits) for _ in range(20)), return_exceptions=True)
    accepted = [r for r in results if isinstance(r, JobRecord)]
    refused = [r for r in results if isinstance(r, TooManyJobs)]
    assert (len(accepted), len(refused)) == (2, 18)


# Concurrency ------------------------------------------------------------------------------


async def test_100_concurrent_reservations_accept_exactly_what_is_left(db: Database) -> None:
    """Never overspend: 100 simultaneous requests for 1 image with 5 left accept exactly 5."""
    await reserve(db, 5)  # 5 of 10 used, 5 left
    started = time.perf_counter()
    results = await asyncio.gather(*(reserve(db, 1) for _ in range(100)), return_exceptions=True)
    elapsed = time.perf_counter() - started
    accepted = [r for r in results if isinstance(r, JobRecord)]
    refused = [r for r in results if isinstance(r, QuotaExceeded)]
    others = [r for r in results if not isinstance(r, JobRecord | QuotaExceeded)]
    print(
        f"\n100 concurrent reserve(): {len(accepted)} accepted, {len(refused)} refused, "
        f"{elapsed * 1000:.1f} ms ({elapsed * 10:.2f} ms each)"
    )
    assert others == []
    assert (len(accepted), len(refused)) == (5, 95)
    assert await used(db) == 10
    assert {e.used for e in refused} == {10}
    assert len({j.id for j in accepted}) == 5


async def test_two_connections_on_one_file_never_overspend(db_url: str, clock: FakeClock) -> None:
    """Stay exact when two processes (two connections, or two pools) reserve on one database at once."""
    path = db_url
    async with (
        await Database.open(path, clock=clock, limits=LIMITS) as one,
        await Database.open(path, clock=clock, limits=LIMITS) as two,
    ):
        started = time.perf_counter()
        results = await asyncio.gather(
            *(reserve(db, 1) for _ in range(30) for db in (one, two)), return_exceptions=True
        )
        elapsed = time.perf_counter() - started
        accepted = [r for r in results if isinstance(r, JobRecord)]
        refused = [r for r in results if isinstance(r, QuotaExceeded)]
        print(
            f"\n60 reserve() over 2 connections: {len(accepted)} accepted, "
            f"{len(refused)} refused, {elapsed * 1000:.1f} ms"
        )
        assert (len(accepted), len(refused)) == (10, 50)
        assert await used(one) == await used(two) == 10


# Scopes -----------------------------------------------------------------------------------


async def test_usage_in_one_server_does_not_touch_another(db: Database) -> None:
    """Count a member's images per server, so using up server A leaves server B untouched."""
    await reserve(db, 10, guild_id=GUILD_A)
    with pytest.raises(QuotaExceeded):
        await reserve(db, 1, guild_id=GUILD_A)
    await reserve(db, 10, guild_id=GUILD_B)
    assert await used(db, guild_id=GUILD_A) == 10
    assert await used(db, guild_id=GUILD_B) == 10
    assert (await db.quotas.usage(user_id=ALICE, guild_id=GUILD_B)).guild_used == 10


async def test_server_total_is_shared_by_all_members(db: Database) -> None:
    """Stop every member once the server's total for the day is reached."""
    limits = Limits(user_daily=10, guild_daily=25, max_jobs_per_user=1000)
    await reserve(db, 10, user_id=ALICE, limits=limits)
    await reserve(db, 10, user_id=BOB, limits=limits)
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 6, user_id=CAROL, limits=limits)
    assert (caught.value.scope, caught.value.used, caught.value.limit) == ("server", 20, 25)
    await reserve(db, 5, user_id=CAROL, limits=limits)
    usage = await db.quotas.usage(user_id=CAROL, guild_id=GUILD_A)
    assert (usage.user_used, usage.guild_used) == (5, 25)


async def test_direct_messages_have_a_personal_limit(db: Database) -> None:
    """Limit DMs per user with the default member limit, apart from any server's count."""
    await reserve(db, 10, guild_id=GUILD_A)
    await reserve(db, 7, guild_id=None)
    with pytest.raises(QuotaExceeded) as caught:
        await reserve(db, 4, guild_id=None)
    assert (caught.value.scope, caught.value.used, caught.value.limit) == ("personal", 7, 10)
    assert "personal" in str(caught.value)
    usage = await db.quotas.usage(user_id=ALICE, guild_id=None)
    assert (usage.user_used, usage.guild_used) == (7, None)
    await reserve(db, 3, guild_id=None, user_id=BOB)
    eff = await db.quotas.effective_limits(user_id=ALICE, guild_id=None, role_ids=[])
    assert eff.personal and eff.user_limit == 10 and eff.guild_limit is None


async def test_server_overrides_do_not_apply_in_direct_messages(db: Database) -> None:
    """Ignore a server's member override in DMs, where no server is involved."""
    await db.quotas.set_override(GUILD_A, OverrideScope.MEMBER, ALICE, 0, ADMIN)
    await reserve(db, 10, guild_id=None)


# Statistics -------------------------------------------------------------------------------


async def test_guild_stats_cover_seven_days_with_zeros_and_top_members(db: Database, clock: FakeClock) -> None:
    """Report 7 UTC days oldest first with empty days as zeros, and the top members."""
    clock.set(NOON - timedelta(days=3))
    old = await reserve(db, 4, user_id=BOB)
    await db.jobs.finish(old.id, delivered=4, input_tokens=10, output_tokens=90, total_tokens=100)
    clock.set(NOON - timedelta(days=10))  # outside the window
    await reserve(db, 9, user_id=CAROL)
    clock.set(NOON)
    a = await reserve(db, 3, user_id=ALICE)
    await db.jobs.finish(a.id, delivered=2, input_tokens=1, output_tokens=19, total_tokens=20)
    failed = await reserve(db, 5, user_id=CAROL)
    await db.jobs.fail(failed.id, error="policy")
    await reserve(db, 1, user_id=BOB)  # still running: counts as reserved
    await reserve(db, 8, user_id=ALICE, guild_id=GUILD_B)  # another server

    stats = await db.quotas.guild_stats(GUILD_A)
    assert [d.day for d in stats.days] == [
        "2026-03-08",
        "2026-03-09",
        "2026-03-10",
        "2026-03-11",
        "2026-03-12",
        "2026-03-13",
        "2026-03-14",
    ]
    by_day = {d.day: d for d in stats.days}
    assert by_day["2026-03-11"].images == 4 and by_day["2026-03-11"].total_tokens == 100
    assert by_day["2026-03-12"].images == 0 and by_day["2026-03-12"].jobs == 0
    today = stats.today
    assert (today.images, today.jobs, today.failed_jobs) == (3, 3, 1)
    assert (today.input_tokens, today.output_tokens, today.total_tokens) == (1, 19, 20)
    assert [(m.user_id, m.images, m.tokens) for m in stats.top_today] == [
        (ALICE, 2, 20),
        (BOB, 1, 0),
    ]
    assert [(m.user_id, m.images) for m in stats.top_period] == [(BOB, 5), (ALICE, 2)]
    assert stats.images == 7 and stats.total_tokens == 120

    one_day = await db.quotas.guild_stats(GUILD_A, days=1)
    assert len(one_day.days) == 1 and one_day.today == today


async def test_guild_stats_of_a_quiet_server_are_all_zero(db: Database) -> None:
    """Answer a server with no jobs with seven zero days and no top members."""
    stats = await db.quotas.guild_stats(GUILD_B)
    assert len(stats.days) == 7
    assert all(d.images == d.jobs == d.total_tokens == 0 for d in stats.days)
    assert stats.top_today == stats.top_period == ()


async def test_guild_stats_top_lists_stop_at_five(db: Database) -> None:
    """List at most five members, the biggest first."""
    for n in range(7):
        await reserve(db, n + 1, user_id=ALICE + 100 + n)
    stats = await db.quotas.guild_stats(GUILD_A)
    assert [m.images for m in stats.top_today] == [7, 6, 5, 4, 3]


async def test_states_in_stats_follow_the_job(db: Database) -> None:
    """Count a cancelled job's images as refunded in usage and stats alike."""
    job = await reserve(db, 4)
    await db.jobs.fail(job.id, error="cancelled", state=JobState.CANCELLED)
    assert await used(db) == 0
    assert (await db.quotas.guild_stats(GUILD_A)).today.images == 0


# The server's totals per day (usage_days, migration 0008) ---------------------------------


async def _totals_agree(db: Database) -> list[tuple[int, str, int, int]]:
    """usage_days, checked against the sums of the jobs it stands for; its rows."""
    kept = await db.fetchall("SELECT guild_id, quota_day, images, cost_micros FROM usage_days "
                             "WHERE images <> 0 OR cost_micros <> 0 ORDER BY guild_id, quota_day")
    summed = await db.fetchall(
        "SELECT guild_id, quota_day, SUM(images_reserved), SUM(cost_micros) FROM jobs "
        "WHERE guild_id IS NOT NULL GROUP BY guild_id, quota_day "
        "HAVING SUM(images_reserved) <> 0 OR SUM(cost_micros) <> 0 ORDER BY guild_id, quota_day")
    assert [tuple(r) for r in kept] == [tuple(r) for r in summed]
    return [tuple(r) for r in kept]


async def test_server_totals_follow_every_change_of_a_job(db: Database, clock: FakeClock) -> None:
    """The server's images and costs of the day, kept by triggers, are the sums of its jobs after
    reservations, settlements, refunds, a discarded job and a new day; direct messages have none."""
    a1 = await reserve(db, 3, user_id=ALICE)
    a2 = await reserve(db, 2, user_id=BOB)
    a3 = await reserve(db, 4, user_id=CAROL)
    b1 = await reserve(db, 5, user_id=ALICE, guild_id=GUILD_B)
    await reserve(db, 2, user_id=ALICE, guild_id=None)
    assert [(g, d, i) for g, d, i, _ in await _totals_agree(db)] == [
        (GUILD_A, "2026-03-14", 9), (GUILD_B, "2026-03-14", 5)]
    await db.jobs.mark_running(a1.id)
    await db.jobs.mark_delivering(a1.id)
    await db.jobs.finish(a1.id, delivered=2, cost_micros=40_000, cost_basis="usage")
    await db.jobs.fail(a2.id, error="provider error")
    assert await db.jobs.discard(a3.id)
    await db.jobs.fail(b1.id, error="cancelled", state=JobState.CANCELLED)
    clock.advance(days=1)
    tomorrow = await reserve(db, 1, user_id=BOB)
    assert [(g, d, i, c) for g, d, i, c in await _totals_agree(db)] == [
        (GUILD_A, "2026-03-14", 2, 40_000), (GUILD_A, "2026-03-15", 1, tomorrow.cost_estimate_micros)]
    usage = await db.quotas.usage(user_id=BOB, guild_id=GUILD_A)
    assert (usage.user_used, usage.guild_used) == (1, 1)


async def test_the_server_totals_of_jobs_from_before_the_migration_are_counted(
        own_db_url: str, clock: FakeClock) -> None:
    """A database made before usage_days existed gets its rows from the jobs it already holds."""
    async with await Database.open(own_db_url, clock=clock, limits=LIMITS) as db:
        await reserve(db, 3, user_id=ALICE)
        await reserve(db, 4, user_id=BOB)
        await back_before_usage_days(db)
    async with await Database.open(own_db_url, clock=clock, limits=LIMITS) as db:
        assert db.schema_version == 8
        assert [(g, i) for g, _, i, _ in await _totals_agree(db)] == [(GUILD_A, 7)]
        with pytest.raises(QuotaExceeded) as refused:
            await reserve(db, 10, user_id=CAROL, limits=Limits(user_daily=10, guild_daily=16))
        assert (refused.value.scope, refused.value.used) == ("server", 7)
