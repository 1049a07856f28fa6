"""Money budgets in the store: reserve with the images, settle, refund, scopes, periods, concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.errors import BudgetExceeded, PriceUnknown, QuotaExceeded
from bot.gptproto.registry import ImageOptions, JobKind
from bot.pricing import BUILTIN_PRICES, Pricing
from bot.storage import Database, JobRecord, JobState, Limits, OverrideScope, QuotaStore, ReplyTarget
from bot.storage.quotas import BudgetPeriod
from tests.clock import FakeClock
from tests.unit.bot.storage.test_quotas import ALICE, BOB, CHANNEL, GUILD_A, GUILD_B, ROLE_ARTIST, ROLE_PATRON

PRICING = Pricing(preview_images=0)
REQUEST = ImageOptions(model="gpt-image-1", prompt="a lighthouse", size="1024x1024", quality="low")
COST = 60 + 10_880  # 12 prompt bytes at $5/1M + 272 output tokens at $40/1M


def cost(n: int) -> int:
    """The estimate of REQUEST with ``n`` images (one prompt, ``n`` outputs)."""
    return 60 + n * 10_880

MAR_31 = datetime(2026, 3, 31, 23, 0, tzinfo=UTC)


def limits(**budgets: int | None) -> Limits:
    """No image limits (budgets are under test), generous job cap, the given budgets in micro-dollars."""
    return Limits(user_daily=None, guild_daily=None, max_jobs_per_user=1000, pricing=PRICING, **budgets)


@pytest.fixture
def clock() -> FakeClock:
    """A clock at 23:00 UTC on 31 March 2026: one hour before a new day and a new month."""
    clock = FakeClock()
    clock.set(MAR_31)
    return clock


@pytest.fixture
async def db(db_url: str, clock: FakeClock) -> AsyncIterator[Database]:
    """A migrated database (a SQLite file, or PostgreSQL), on the test's clock."""
    async with await Database.open(db_url, clock=clock, limits=limits()) as database:
        yield database


async def reserve(db: Database, store_limits: Limits | None = None, *, n: int = 1, user_id: int = ALICE,
                  guild_id: int | None = GUILD_A, role_ids: tuple[int, ...] = (),
                  options: ImageOptions = REQUEST, **extra: Any) -> JobRecord:
    """Reserve a job through a store with ``store_limits`` (the database's when left out)."""
    store = db.quotas if store_limits is None else QuotaStore(db, store_limits, clock=db.clock)
    return await store.reserve(kind=JobKind.GENERATE, user_id=user_id, guild_id=guild_id,
                               options=replace(options, n=n), reply=ReplyTarget(CHANNEL, role_ids=role_ids),
                               **extra)


async def spent(db: Database, user_id: int = ALICE, guild_id: int | None = GUILD_A,
                role_ids: tuple[int, ...] = ()) -> tuple[int, int, int]:
    """(member today, server today, server this month) as counted against budgets."""
    s = await db.quotas.budget_standing(user_id=user_id, guild_id=guild_id, role_ids=role_ids)
    return s.user_spent, s.guild_spent_today, s.guild_spent_month


# Reserve, settle, refund --------------------------------------------------------------------------


async def test_reservation_holds_the_worst_case_cost(db: Database):
    """Store the estimate on the job and count it against the budgets while the job runs."""
    job = await reserve(db, n=2)
    assert (job.cost_estimate_micros, job.cost_micros) == (60 + 2 * 10_880, 60 + 2 * 10_880)
    stored = await db.jobs.get(job.id)
    assert stored is not None and stored.cost_micros == job.cost_micros
    assert await spent(db) == (job.cost_micros,) * 3


async def test_member_budget_refuses_with_spent_budget_and_reset(db: Database):
    """Refuse what would pass the member's budget, saying what they spent, which budget and when it resets."""
    budget = limits(user_daily_budget=cost(2) + 5)
    await reserve(db, budget, n=2)
    with pytest.raises(BudgetExceeded) as caught:
        await reserve(db, budget)
    error = caught.value
    assert (error.scope, error.spent, error.budget, error.cost) == ("member", cost(2), cost(2) + 5, COST)
    assert error.resets_at == datetime(2026, 4, 1, tzinfo=UTC)
    assert "your daily budget in this server" in str(error) and "you spent $0.022" in str(error)
    assert len(await db.fetchall("SELECT id FROM jobs")) == 1, "nothing stored for the refusal"


async def test_zero_budget_blocks(db: Database):
    """A budget of 0 blocks every paid request, saying generation is switched off."""
    with pytest.raises(BudgetExceeded, match="switched off"):
        await reserve(db, limits(guild_daily_budget=0))


async def test_settling_to_actual_usage_frees_the_difference(db: Database):
    """Settle the reservation to the actual cost, so the unspent part of the estimate can be used again."""
    budget = limits(user_daily_budget=cost(2))
    first = await reserve(db, budget, n=2)
    with pytest.raises(BudgetExceeded):
        await reserve(db, budget)
    done = await db.jobs.finish(first.id, delivered=2, cost_micros=5_000, cost_basis="usage",
                                text_input_tokens=12, image_input_tokens=0)
    assert (done.cost_micros, done.cost_estimate_micros, done.cost_basis) == (5_000, cost(2), "usage")
    assert (done.text_input_tokens, done.image_input_tokens) == (12, 0)
    assert await spent(db) == (5_000, 5_000, 5_000)
    await reserve(db, budget)


async def test_finish_without_usage_charges_the_estimate(db: Database):
    """Charge the reserved estimate when the answer had no usage (an edit, or a job found posted after a restart)."""
    job = await reserve(db, n=3)
    done = await db.jobs.finish(job.id, delivered=3)
    assert (done.cost_micros, done.cost_basis) == (cost(3), "estimate")


@pytest.mark.parametrize("state", [JobState.FAILED, JobState.INTERRUPTED, JobState.CANCELLED])
async def test_every_failure_refunds_the_money(db: Database, state: JobState):
    """Refund the whole reservation when a job fails, is interrupted or is cancelled, and only once."""
    budget = limits(user_daily_budget=COST)
    job = await reserve(db, budget)
    failed = await db.jobs.fail(job.id, error="boom", state=state)
    assert failed.cost_micros == 0 and failed.cost_estimate_micros == COST
    assert await spent(db) == (0, 0, 0)
    again = await db.jobs.finish(job.id, delivered=1, cost_micros=COST)  # too late: stays refunded
    assert again.cost_micros == 0
    await reserve(db, budget)


async def test_discarded_job_leaves_no_charge(db: Database):
    """A job refused after reservation (bad attachment) is discarded with its reservation."""
    job = await reserve(db, limits(user_daily_budget=COST))
    assert await db.jobs.discard(job.id)
    assert await spent(db) == (0, 0, 0)


# Scopes and periods -------------------------------------------------------------------------------


async def test_server_daily_budget_counts_every_member(db: Database):
    """Stop a member when the server's daily budget is used up by others, naming the server's budget."""
    budget = limits(guild_daily_budget=COST)
    await reserve(db, budget, user_id=BOB)
    with pytest.raises(BudgetExceeded) as caught:
        await reserve(db, budget)
    assert caught.value.scope == "server" and "this server's daily budget" in str(caught.value)
    await reserve(db, budget, guild_id=GUILD_B)  # another server has its own budget


async def test_daily_budget_resets_at_utc_midnight(db: Database, clock: FakeClock):
    """Start the member's and server's daily budgets again at midnight UTC."""
    budget = limits(user_daily_budget=COST, guild_daily_budget=COST)
    await reserve(db, budget)
    with pytest.raises(BudgetExceeded):
        await reserve(db, budget)
    clock.advance(hours=1)  # 1 April, 00:00
    await reserve(db, budget)


async def test_monthly_budget_spans_days_and_resets_with_the_month(db: Database, clock: FakeClock):
    """Count every day of the UTC month against the monthly budget, and start again on the 1st."""
    budget = limits(guild_monthly_budget=2 * COST)
    clock.set(datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
    await reserve(db, budget)
    clock.set(MAR_31)
    await reserve(db, budget)
    with pytest.raises(BudgetExceeded) as caught:
        await reserve(db, budget)
    assert caught.value.scope == "server_month"
    assert caught.value.resets_at == datetime(2026, 4, 1, tzinfo=UTC)
    assert "this server's monthly budget" in str(caught.value) and "this month" in str(caught.value)
    clock.advance(hours=1)  # April: the March spend no longer counts
    assert await spent(db) == (0, 0, 0)
    await reserve(db, budget)
    await reserve(db, budget)


async def test_overrides_member_over_role_over_server_and_the_most_generous_role(db: Database):
    """Resolve budgets as image limits: member beats role beats server default; the richest role wins."""
    quotas = db.quotas
    await quotas.set_budget(GUILD_A, OverrideScope.SERVER_MEMBER_DEFAULT, None, 0, set_by=1)
    await quotas.set_budget(GUILD_A, OverrideScope.ROLE, ROLE_ARTIST, COST, set_by=1)
    await quotas.set_budget(GUILD_A, OverrideScope.ROLE, ROLE_PATRON, 3 * COST, set_by=1)
    with pytest.raises(BudgetExceeded, match="switched off"):
        await reserve(db, user_id=BOB)
    for _ in range(3):
        await reserve(db, user_id=BOB, role_ids=(ROLE_ARTIST, ROLE_PATRON))
    with pytest.raises(BudgetExceeded):
        await reserve(db, user_id=BOB, role_ids=(ROLE_ARTIST, ROLE_PATRON))
    standing = await db.quotas.budget_standing(user_id=BOB, guild_id=GUILD_A, role_ids=(ROLE_ARTIST, ROLE_PATRON))
    assert (standing.budgets.user_budget, standing.budgets.user_role_id) == (3 * COST, ROLE_PATRON)
    await quotas.set_budget(GUILD_A, OverrideScope.MEMBER, BOB, None, set_by=1)  # unlimited for Bob
    await reserve(db, user_id=BOB, role_ids=(ROLE_ARTIST,))
    assert await quotas.clear_budget(GUILD_A, OverrideScope.MEMBER, BOB)
    with pytest.raises(BudgetExceeded):
        await reserve(db, user_id=BOB, role_ids=(ROLE_ARTIST,))


async def test_server_total_overrides_per_period(db: Database):
    """Keep a server's daily and monthly totals apart; clearing one period leaves the other."""
    quotas = db.quotas
    await quotas.set_budget(GUILD_A, OverrideScope.SERVER_TOTAL, None, COST, set_by=1)
    await quotas.set_budget(GUILD_A, OverrideScope.SERVER_TOTAL, None, 0, set_by=1, period=BudgetPeriod.MONTH)
    with pytest.raises(BudgetExceeded) as caught:
        await reserve(db)
    assert caught.value.scope == "server_month"
    assert await quotas.clear_budget(GUILD_A, OverrideScope.SERVER_TOTAL, None, BudgetPeriod.MONTH)
    await reserve(db)
    with pytest.raises(BudgetExceeded) as caught:
        await reserve(db)
    assert caught.value.scope == "server"
    assert [(b.period, b.limit) for b in await quotas.list_budgets(GUILD_A)] == [(BudgetPeriod.DAY, COST)]


async def test_monthly_budget_is_only_for_the_server_total(db: Database):
    """Refuse a monthly budget for a member, a role or the per-member default."""
    with pytest.raises(ValueError):
        await db.quotas.set_budget(GUILD_A, OverrideScope.MEMBER, ALICE, COST, set_by=1, period=BudgetPeriod.MONTH)


async def test_direct_messages_have_a_personal_budget(db: Database):
    """Apply USER_DAILY_BUDGET_USD to a user in direct messages, apart from any server."""
    budget = limits(user_daily_budget=COST, guild_daily_budget=0)
    await reserve(db, budget, guild_id=None)
    with pytest.raises(BudgetExceeded) as caught:
        await reserve(db, budget, guild_id=None)
    assert caught.value.scope == "personal"


async def test_image_limits_and_budgets_both_apply(db: Database):
    """Refuse on the image limit even with money left, and on the budget even with images left."""
    both = Limits(user_daily=1, guild_daily=None, max_jobs_per_user=100, user_daily_budget=10 * COST, pricing=PRICING)
    await reserve(db, both)
    with pytest.raises(QuotaExceeded):
        await reserve(db, both)
    tight = Limits(user_daily=100, guild_daily=None, max_jobs_per_user=100, user_daily_budget=COST, pricing=PRICING)
    with pytest.raises(BudgetExceeded):
        await reserve(db, tight, user_id=BOB, n=2)


async def test_a_model_without_a_price_is_refused_only_under_a_budget(db: Database):
    """Refuse an unpriced model while a budget applies, with a sentence saying why; run it otherwise."""
    prices = dict(BUILTIN_PRICES)
    del prices["gpt-image-2"]
    unpriced = Pricing(prices)
    request = ImageOptions(model="gpt-image-2", prompt="a fox")
    free = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=100, pricing=unpriced)
    job = await reserve(db, free, options=request)
    assert job.cost_micros == 0
    budgeted = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=100, guild_monthly_budget=10**9,
                      pricing=unpriced)
    with pytest.raises(PriceUnknown) as caught:
        await reserve(db, budgeted, options=request)
    assert "I don't know what `gpt-image-2` costs" in str(caught.value)
    assert len(await db.fetchall("SELECT id FROM jobs")) == 1


# Concurrency ----------------------------------------------------------------------------------------


async def test_100_concurrent_reservations_against_a_budget_for_5_accept_exactly_5(db: Database):
    """Never overspend money: 100 simultaneous requests against a budget that covers 5 accept exactly 5."""
    budget = limits(user_daily_budget=5 * COST + COST // 2)
    results = await asyncio.gather(*(reserve(db, budget) for _ in range(100)), return_exceptions=True)
    accepted = [r for r in results if isinstance(r, JobRecord)]
    refused = [r for r in results if isinstance(r, BudgetExceeded)]
    assert (len(accepted), len(refused)) == (5, 95)
    assert await spent(db) == (5 * COST,) * 3


# Reports ----------------------------------------------------------------------------------------------


async def test_spend_report_per_day_model_member_and_refunds(db: Database, clock: FakeClock):
    """Sum spend per day and model, images delivered, refunds and top members for /usage."""
    a = await reserve(db, n=2)
    await db.jobs.finish(a.id, delivered=2, cost_micros=20_000)
    b = await reserve(db, user_id=BOB, options=ImageOptions(model="gpt-image-1-mini", prompt="x"))
    await db.jobs.finish(b.id, delivered=1, cost_micros=5_000)
    c = await reserve(db)
    await db.jobs.fail(c.id, error="boom")
    clock.advance(hours=2)  # 1 April
    d = await reserve(db)
    await db.jobs.finish(d.id, delivered=1)  # no usage: charged the estimate
    report = await db.quotas.spend_report(GUILD_A, days=3)
    assert [day.day for day in report.days] == ["2026-03-30", "2026-03-31", "2026-04-01"]
    assert report.days[1].by_model == {"gpt-image-1": 20_000, "gpt-image-1-mini": 5_000}
    assert report.days[2].by_model == {"gpt-image-1": COST}
    assert report.total == 25_000 + COST and report.estimated_micros == COST
    assert (report.images_delivered, report.jobs_done, report.refunds, report.refunded_micros) == (4, 3, 1, COST)
    assert [(m.user_id, m.micros) for m in report.top_members] == [(ALICE, 20_000 + COST), (BOB, 5_000)]
    assert report.models == ["gpt-image-1", "gpt-image-1-mini"]
    alone = await db.quotas.spend_report(GUILD_A, days=3, user_id=BOB)
    assert alone.total == 5_000 and alone.refunds == 0
