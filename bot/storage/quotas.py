"""Daily image quotas and money budgets: reserving them with the job, admins' overrides, usage
and statistics.

Quota is counted in images per UTC day, per member in a server and per server (in direct
messages, per user). A job's ``images_reserved`` is what it counts against the quota of its
``quota_day``: the whole request while it runs, the delivered images once done (see
``JobStore.finish``), nothing once it failed (``JobStore.fail``). Today's use is the sum of
that column, so a refund is simply a smaller number and day rollover needs no job at midnight.

:meth:`QuotaStore.reserve` checks and inserts in one exclusive transaction (SQLite's
``BEGIN IMMEDIATE`` under the write lock; on PostgreSQL an advisory lock every process takes), so
concurrent requests, from one process or several, can never overspend a limit.

Money works the same way, in micro-dollars: a job's ``cost_micros`` is its worst-case estimate
while it runs (reserved in the same transaction as its images), its actual cost once done, and
0 once failed. Budgets apply per member and per server per UTC day, and per server per UTC
calendar month; admins override them in ``budget_overrides`` with the same precedence as limits.

Long because every SQL statement about quotas lives here (the style of the stores: one named
method per statement), with the precedence rules of admins' overrides beside the queries that use them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.errors import BudgetExceeded, PriceUnknown, QuotaExceeded, TooManyJobs
from bot.gptproto.registry import ImageOptions, JobKind
from bot.pricing import Pricing
from bot.storage.jobs import _ACTIVE_SQL, FAILED_STATES, JobRecord, JobState, ReplyTarget, _in, utc_now

if TYPE_CHECKING:
    import sqlite3

    import aiosqlite

    from bot.storage.database import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

TOP_MEMBERS = 5


@dataclass(frozen=True)
class Limits:
    """The bot's defaults, from configuration. ``None`` is unlimited, ``0`` blocks.

    Budgets are in micro-dollars; ``pricing`` prices each request (its worst case) for them.
    """

    user_daily: int | None = 20
    guild_daily: int | None = 200
    max_jobs_per_user: int = 2
    user_daily_budget: int | None = None
    guild_daily_budget: int | None = None
    guild_monthly_budget: int | None = None
    pricing: Pricing = field(default_factory=Pricing)

    def __post_init__(self) -> None:
        """Refuse negative limits and a job limit below one."""
        for name in ("user_daily", "guild_daily", "user_daily_budget", "guild_daily_budget",
                     "guild_monthly_budget"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must be 0 or more, or None for unlimited")
        if self.max_jobs_per_user < 1:
            raise ValueError("max_jobs_per_user must be at least 1")


class OverrideScope(StrEnum):
    """What an admin's limit applies to."""

    SERVER_MEMBER_DEFAULT = "server"
    """The per-member limit for everyone in the server without a role or member override."""
    SERVER_TOTAL = "server_total"
    """The whole server's images per day."""
    ROLE = "role"
    """The per-member limit for members with this role."""
    MEMBER = "member"
    """The limit of one member."""

    @property
    def has_target(self) -> bool:
        """Whether the override names a role or member (``target_id``)."""
        return self in (OverrideScope.ROLE, OverrideScope.MEMBER)


@dataclass(frozen=True)
class Override:
    """A limit set by a server's admin; ``limit`` ``None`` is unlimited, ``0`` blocks."""

    guild_id: int
    scope: OverrideScope
    target_id: int | None
    limit: int | None
    set_by: int
    set_at: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Override:
        """Parse a row of ``quota_overrides``."""
        scope = OverrideScope(row["scope"])
        return cls(
            guild_id=row["guild_id"],
            scope=scope,
            target_id=row["target_id"] if scope.has_target else None,
            limit=row["daily_limit"],
            set_by=row["set_by"],
            set_at=row["set_at"],
        )


@dataclass(frozen=True)
class EffectiveLimits:
    """The limits that apply to one member in one place, and where each comes from.

    ``user_source`` is ``"member override"``, ``"role <id>"``, ``"server default"`` or
    ``"bot default"`` (``user_role_id`` names the role in the second case).
    ``guild_source`` is ``"server override"``, ``"bot default"`` or, in direct messages
    (``personal``), ``"direct messages"`` with no server limit.
    """

    user_limit: int | None
    user_source: str
    guild_limit: int | None
    guild_source: str
    max_jobs_per_user: int
    personal: bool = False
    user_role_id: int | None = None


class BudgetPeriod(StrEnum):
    """How long a budget lasts: a UTC day, or (for a server's total) a UTC calendar month."""

    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True)
class BudgetOverride:
    """A money budget set by a server's admin, in micro-dollars; ``None`` unlimited, ``0`` blocks."""

    guild_id: int
    scope: OverrideScope
    target_id: int | None
    period: BudgetPeriod
    limit: int | None
    set_by: int
    set_at: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> BudgetOverride:
        """Parse a row of ``budget_overrides``."""
        scope = OverrideScope(row["scope"])
        return cls(
            guild_id=row["guild_id"],
            scope=scope,
            target_id=row["target_id"] if scope.has_target else None,
            period=BudgetPeriod(row["period"]),
            limit=row["budget_micros"],
            set_by=row["set_by"],
            set_at=row["set_at"],
        )


@dataclass(frozen=True)
class EffectiveBudgets:
    """The money budgets that apply to one member in one place (micro-dollars, ``None`` unlimited).

    Sources read as in :class:`EffectiveLimits`. In direct messages (``personal``) only
    ``user_budget`` applies.
    """

    user_budget: int | None
    user_source: str
    guild_daily: int | None
    guild_daily_source: str
    guild_monthly: int | None
    guild_monthly_source: str
    personal: bool = False
    user_role_id: int | None = None

    @property
    def applies(self) -> bool:
        """Whether any budget limits this member here."""
        return any(b is not None for b in (self.user_budget, self.guild_daily, self.guild_monthly))


@dataclass(frozen=True)
class BudgetStanding:
    """Money spent (and held by jobs under way) against each budget, and the budgets."""

    budgets: EffectiveBudgets
    user_spent: int
    guild_spent_today: int
    guild_spent_month: int
    day_resets_at: datetime
    month_resets_at: datetime


@dataclass(frozen=True)
class SpendDay:
    """One UTC day of spend, per model (micro-dollars of jobs done)."""

    day: str
    by_model: dict[str, int]

    @property
    def total(self) -> int:
        """The day's spend, all models."""
        return sum(self.by_model.values())


@dataclass(frozen=True)
class MemberSpend:
    """One member's spend and images over a span of days."""

    user_id: int
    micros: int
    images: int


@dataclass(frozen=True)
class SpendReport:
    """A server's (or one member's) spend over the last days, for ``/usage``.

    ``days`` runs oldest first with today last; empty days are there with nothing spent.
    ``refunds`` counts jobs that ended without images (refunded), ``refunded_micros`` what they
    had reserved; ``estimated_micros`` is the part of the spend charged at its estimate
    (answers without usage, such as edits).
    """

    guild_id: int
    user_id: int | None
    days: tuple[SpendDay, ...]
    images_delivered: int
    jobs_done: int
    refunds: int
    refunded_micros: int
    estimated_micros: int
    top_members: tuple[MemberSpend, ...]

    @property
    def total(self) -> int:
        """Spend over the whole period."""
        return sum(d.total for d in self.days)

    @property
    def models(self) -> list[str]:
        """The models with spend, dearest first."""
        totals: dict[str, int] = {}
        for day in self.days:
            for model, micros in day.by_model.items():
                totals[model] = totals.get(model, 0) + micros
        return sorted(totals, key=lambda m: (-totals[m], m))


@dataclass(frozen=True)
class QuotaUsage:
    """Images counted today and jobs under way, for one member in one place.

    ``user_used`` is the member's use in this server (or, with no server, in direct messages);
    ``guild_used`` is the whole server's, ``None`` in direct messages.
    """

    day: str
    user_used: int
    guild_used: int | None
    active_jobs: int
    resets_at: datetime


@dataclass(frozen=True)
class DayStats:
    """One UTC day of a server's use. ``images`` counts what was charged (delivered or held)."""

    day: str
    images: int
    jobs: int
    failed_jobs: int
    input_tokens: int
    output_tokens: int
    total_tokens: int


@dataclass(frozen=True)
class MemberStats:
    """One member's use over a span of days."""

    user_id: int
    images: int
    jobs: int
    tokens: int


@dataclass(frozen=True)
class GuildStats:
    """A server's use over the last days: one entry per day, oldest first, today last."""

    guild_id: int
    days: tuple[DayStats, ...]
    top_today: tuple[MemberStats, ...]
    top_period: tuple[MemberStats, ...]

    @property
    def today(self) -> DayStats:
        """Today's entry."""
        return self.days[-1]

    @property
    def images(self) -> int:
        """Images over the whole period."""
        return sum(d.images for d in self.days)

    @property
    def total_tokens(self) -> int:
        """Tokens over the whole period."""
        return sum(d.total_tokens for d in self.days)


def resolve_user_limit(
    overrides: Iterable[Override | BudgetOverride], *, user_id: int, role_ids: Iterable[int],
    default: int | None,
) -> tuple[int | None, str, int | None]:
    """A member's per-day limit in a server: (limit, source, role id).

    Precedence: member override > role overrides (the most generous of the member's roles;
    unlimited beats any number) > the server's per-member default > the bot's default.
    """
    roles = set(role_ids)
    member: Override | None = None
    server: Override | None = None
    role_overrides: list[Override] = []
    for override in overrides:
        if override.scope is OverrideScope.MEMBER and override.target_id == user_id:
            member = override
        elif override.scope is OverrideScope.ROLE and override.target_id in roles:
            role_overrides.append(override)
        elif override.scope is OverrideScope.SERVER_MEMBER_DEFAULT:
            server = override
    if member is not None:
        return member.limit, "member override", None
    if role_overrides:
        # Most generous first (None = unlimited), then the lowest role id so the answer is stable.
        best = min(
            role_overrides,
            key=lambda o: (o.limit is not None, -(o.limit or 0), o.target_id),
        )
        return best.limit, f"role {best.target_id}", best.target_id
    if server is not None:
        return server.limit, "server default", None
    return default, "bot default", None


def resolve_guild_limit(
    overrides: Iterable[Override | BudgetOverride], *, default: int | None
) -> tuple[int | None, str]:
    """A server's total per-day limit: (limit, source)."""
    for override in overrides:
        if override.scope is OverrideScope.SERVER_TOTAL:
            return override.limit, "server override"
    return default, "bot default"


def resolve_budgets(
    overrides: Sequence[BudgetOverride], *, user_id: int, role_ids: Iterable[int], limits: Limits
) -> EffectiveBudgets:
    """A member's budgets in a server, with the same precedence as image limits.

    The member's daily budget: member override > the most generous role's > the server's
    per-member default > ``USER_DAILY_BUDGET_USD``. The server's daily and monthly totals: its
    ``server_total`` overrides of that period > the bot's defaults.
    """
    daily = [o for o in overrides if o.period is BudgetPeriod.DAY]
    monthly = [o for o in overrides if o.period is BudgetPeriod.MONTH]
    user, user_source, role_id = resolve_user_limit(
        daily, user_id=user_id, role_ids=role_ids, default=limits.user_daily_budget)
    guild_daily, daily_source = resolve_guild_limit(daily, default=limits.guild_daily_budget)
    guild_monthly, monthly_source = resolve_guild_limit(monthly, default=limits.guild_monthly_budget)
    return EffectiveBudgets(user, user_source, guild_daily, daily_source, guild_monthly, monthly_source,
                            user_role_id=role_id)


def month_span(day: date) -> tuple[str, str]:
    """The first day of ``day``'s month and of the next one, as ``YYYY-MM-DD``."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first.isoformat(), following.isoformat()


class QuotaStore:
    """Reservations, overrides, usage and statistics of the daily image quotas."""

    def __init__(self, db: Database, limits: Limits | None = None,
                 clock: Clock = lambda: datetime.now(UTC)) -> None:
        self._db = db
        self.limits = limits or Limits()
        self._clock = clock

    # Time ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current time from the injected clock, in UTC."""
        return utc_now(self._clock)

    def today(self) -> str:
        """Today's UTC day as ``YYYY-MM-DD`` (the ``quota_day`` of a reservation made now)."""
        return self.now().date().isoformat()

    def next_reset(self) -> datetime:
        """The next UTC midnight, when today's quotas start again."""
        tomorrow = self.now().date() + timedelta(days=1)
        return datetime.combine(tomorrow, time.min, tzinfo=UTC)

    def next_month_reset(self) -> datetime:
        """The first midnight (UTC) of next month, when a monthly budget starts again."""
        _, following = month_span(self.now().date())
        return datetime.combine(date.fromisoformat(following), time.min, tzinfo=UTC)

    # Reservation ---------------------------------------------------------------------------

    async def reserve(
        self,
        *,
        kind: JobKind,
        user_id: int,
        guild_id: int | None,
        options: ImageOptions,
        reply: ReplyTarget,
        parent_job_id: str | None = None,
        job_id: str | None = None,
        preview_images: int | None = None,
        progress_message_id: int | None = None,
    ) -> JobRecord:
        """Store a new queued job and reserve its images and its cost, atomically.

        ``progress_message_id`` is the "thinking…" message Discord made for the request, kept
        with the job (a later post through the channel removes it).

        The cost reserved is the request's worst case (``limits.pricing.estimate``, with the
        ``preview_images`` the job will stream: the server's setting; ``PREVIEW_IMAGES`` when not
        given); it is settled to the actual cost by ``JobStore.finish`` and refunded by ``JobStore.fail``.

        Raises ``TooManyJobs`` when the member already has ``max_jobs_per_user`` jobs under
        way, ``QuotaExceeded`` (scope ``member``, ``server`` or, in direct messages,
        ``personal``) when the images would go over a limit, ``PriceUnknown`` when a budget
        applies and the model has no price, and ``BudgetExceeded`` when the worst-case cost
        would go over a budget. Nothing is stored then.
        """
        kind = JobKind(kind)
        images = options.n
        if isinstance(images, bool) or not isinstance(images, int) or images < 1:
            raise ValueError(f"images must be a positive whole number, not {images!r}")
        limits = self.limits
        role_ids = reply.role_ids
        now = self.now()
        day = now.date().isoformat()
        estimate = limits.pricing.estimate(options, previews=preview_images)
        record = JobRecord(
            id=job_id or uuid.uuid4().hex,
            kind=kind,
            state=JobState.QUEUED,
            user_id=user_id,
            guild_id=guild_id,
            options=options,
            reply=reply,
            images_requested=images,
            images_reserved=images,
            images_delivered=0,
            prediction_id=None,
            message_id=None,
            result_message_ids=[],
            input_tokens=0,
            output_tokens=0,
            total_tokens=0,
            error=None,
            quota_day=day,
            created_at=now.timestamp(),
            started_at=None,
            finished_at=None,
            parent_job_id=parent_job_id,
            cost_estimate_micros=estimate or 0,
            cost_micros=estimate or 0,
            progress_message_id=progress_message_id,
        )

        async def checked_insert(conn: Any) -> None:
            running, user_used, guild_used = await self._counted(conn.execute_fetchall, user_id, guild_id, day)
            if running >= limits.max_jobs_per_user:
                raise TooManyJobs(running=running, limit=limits.max_jobs_per_user)

            if guild_id is None:
                self._check("personal", user_used, limits.user_daily, images)
            else:
                overrides = await self._overrides(conn, guild_id)
                user_limit, _, _ = resolve_user_limit(
                    overrides, user_id=user_id, role_ids=role_ids, default=limits.user_daily
                )
                guild_limit, _ = resolve_guild_limit(overrides, default=limits.guild_daily)
                self._check("member", user_used, user_limit, images)
                self._check("server", guild_used or 0, guild_limit, images)

            budgets = await self._budgets(conn, user_id=user_id, guild_id=guild_id, role_ids=role_ids)
            if budgets.applies:
                if estimate is None:
                    raise PriceUnknown(options.model)
                standing = await self._standing(conn, budgets, user_id=user_id, guild_id=guild_id)
                self._check_budgets(standing, estimate)

            await self._db.jobs._insert(conn, record)
            # The request's intake record becomes this job in the same transaction.
            await conn.execute("DELETE FROM intake WHERE job_id = ?", (record.id,))

        # Exclusive: every reservation, in every process, sees what the one before it committed.
        # One transaction function: on SQLite, one trip to the database's thread.
        await self._db.transaction(checked_insert, exclusive=True)
        log.debug(
            "Reserved %d image(s) and %s micro-dollars for job %s (user %s, guild %s, day %s)",
            images,
            estimate,
            record.id,
            user_id,
            guild_id,
            day,
        )
        return record

    def _check_budgets(self, standing: BudgetStanding, cost: int) -> None:
        """Raise ``BudgetExceeded`` for the first budget that ``cost`` more would pass."""
        budgets = standing.budgets
        checks = (
            ("personal" if budgets.personal else "member", standing.user_spent, budgets.user_budget,
             standing.day_resets_at),
            ("server", standing.guild_spent_today, budgets.guild_daily, standing.day_resets_at),
            ("server_month", standing.guild_spent_month, budgets.guild_monthly, standing.month_resets_at),
        )
        for scope, spent, budget, resets_at in checks:
            if budget is not None and spent + cost > budget:
                raise BudgetExceeded(scope=scope, spent=spent, budget=budget, cost=cost,
                                     user_spent=standing.user_spent, resets_at=resets_at)

    def _check(self, scope: str, used: int, limit: int | None, requested: int) -> None:
        """Raise ``QuotaExceeded`` when ``requested`` more images would pass ``limit``."""
        if limit is not None and used + requested > limit:
            raise QuotaExceeded(
                scope=scope,
                used=used,
                limit=limit,
                requested=requested,
                resets_at=self.next_reset(),
            )

    # Budgets -------------------------------------------------------------------------------

    async def _budgets(self, conn: aiosqlite.Connection, *, user_id: int, guild_id: int | None,
                       role_ids: Sequence[int]) -> EffectiveBudgets:
        """The budgets that apply, inside an open transaction."""
        limits = self.limits
        if guild_id is None:
            return EffectiveBudgets(limits.user_daily_budget, "bot default", None, "direct messages",
                                    None, "direct messages", personal=True)
        rows = await conn.execute_fetchall(_LIST_BUDGETS_SQL, (guild_id,))
        overrides = [BudgetOverride.from_row(row) for row in rows]
        return resolve_budgets(overrides, user_id=user_id, role_ids=role_ids, limits=limits)

    async def _standing(self, conn: aiosqlite.Connection, budgets: EffectiveBudgets, *, user_id: int,
                        guild_id: int | None) -> BudgetStanding:
        """Money counted against each budget now (spent, plus held by jobs under way)."""
        today = self.now().date()
        day = today.isoformat()
        if guild_id is None:
            rows = await conn.execute_fetchall(
                "SELECT COALESCE(SUM(cost_micros), 0) FROM jobs "
                "WHERE user_id = ? AND guild_id IS NULL AND quota_day = ?",
                (user_id, day),
            )
            user_spent, guild_day, guild_month = int(next(iter(rows))[0]), 0, 0
        else:
            first, following = month_span(today)
            # The server's totals from usage_days (migration 0008): a row per day, not a job.
            rows = await conn.execute_fetchall(
                "SELECT (SELECT COALESCE(SUM(cost_micros), 0) FROM jobs "
                "WHERE guild_id = ? AND quota_day = ? AND user_id = ?), "
                "COALESCE(SUM(CASE WHEN quota_day = ? THEN cost_micros END), 0), "
                "COALESCE(SUM(cost_micros), 0) "
                "FROM usage_days WHERE guild_id = ? AND quota_day >= ? AND quota_day < ?",
                (guild_id, day, user_id, day, guild_id, first, following),
            )
            row = next(iter(rows))
            user_spent, guild_day, guild_month = int(row[0]), int(row[1]), int(row[2])
        return BudgetStanding(budgets, user_spent, guild_day, guild_month, self.next_reset(),
                              self.next_month_reset())

    async def budget_standing(self, *, user_id: int, guild_id: int | None,
                              role_ids: Sequence[int]) -> BudgetStanding:
        """The budgets that apply to this member here and what is counted against each."""
        async with self._db.read() as conn:
            budgets = await self._budgets(conn, user_id=user_id, guild_id=guild_id, role_ids=role_ids)
            return await self._standing(conn, budgets, user_id=user_id, guild_id=guild_id)

    async def set_budget(
        self,
        guild_id: int,
        scope: OverrideScope,
        target_id: int | None,
        budget_micros: int | None,
        set_by: int,
        period: BudgetPeriod = BudgetPeriod.DAY,
    ) -> BudgetOverride:
        """Set (or replace) an admin's money budget; ``None`` is unlimited, ``0`` blocks.

        ``period`` ``month`` is only for the server's total (``SERVER_TOTAL``).
        """
        scope, period = OverrideScope(scope), BudgetPeriod(period)
        key = _target_key(scope, target_id)
        if budget_micros is not None and (isinstance(budget_micros, bool) or budget_micros < 0):
            raise ValueError(f"budget must be 0 or more, or None for unlimited, not {budget_micros!r}")
        if period is BudgetPeriod.MONTH and scope is not OverrideScope.SERVER_TOTAL:
            raise ValueError("a monthly budget is only for the server's total")
        now = self.now().timestamp()
        async with self._db.write() as conn:
            await conn.execute(
                "INSERT INTO budget_overrides (guild_id, scope, target_id, period, budget_micros, set_by, "
                "set_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (guild_id, scope, target_id, period) DO UPDATE SET "
                "budget_micros = excluded.budget_micros, set_by = excluded.set_by, set_at = excluded.set_at",
                (guild_id, str(scope), key, str(period), budget_micros, set_by, now),
            )
        log.info("Budget override in guild %s: %s %s per %s = %s micro-dollars (by %s)", guild_id, scope,
                 target_id, period, "unlimited" if budget_micros is None else budget_micros, set_by)
        return BudgetOverride(guild_id, scope, target_id, period, budget_micros, set_by, now)

    async def clear_budget(self, guild_id: int, scope: OverrideScope, target_id: int | None,
                           period: BudgetPeriod | None = None) -> bool:
        """Remove an admin's budget (of one period, or every period); says if one existed."""
        scope = OverrideScope(scope)
        key = _target_key(scope, target_id)
        periods = [str(BudgetPeriod(period))] if period is not None else [str(p) for p in BudgetPeriod]
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM budget_overrides WHERE guild_id = ? AND scope = ? AND target_id = ? "
                f"AND period IN ({', '.join('?' for _ in periods)})",
                (guild_id, str(scope), key, *periods),
            )
            removed = cursor.rowcount > 0
        if removed:
            log.info("Budget override in guild %s cleared: %s %s %s", guild_id, scope, target_id,
                     period or "all periods")
        return removed

    async def list_budgets(self, guild_id: int) -> list[BudgetOverride]:
        """A server's budgets: server totals, server default, roles, then members."""
        rows = await self._db.fetchall(_LIST_BUDGETS_SQL, (guild_id,))
        return [BudgetOverride.from_row(row) for row in rows]

    async def spend_report(self, guild_id: int, *, days: int = 30, user_id: int | None = None) -> SpendReport:
        """A server's (or one member's there) spend per day and model over the last ``days`` days."""
        if days < 1:
            raise ValueError("days must be at least 1")
        today = self.now().date()
        span = [(today - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
        where = "guild_id = ? AND quota_day BETWEEN ? AND ?" + (" AND user_id = ?" if user_id else "")
        params: tuple[int | str, ...] = (guild_id, span[0], span[-1], *((user_id,) if user_id else ()))
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(
                "SELECT quota_day, model, SUM(cost_micros) AS micros, SUM(images_delivered) AS images, "
                "COUNT(*) AS jobs, SUM(CASE WHEN cost_basis = 'estimate' THEN cost_micros ELSE 0 END) AS est "
                f"FROM jobs WHERE {where} AND state = 'done' GROUP BY quota_day, model",
                params,
            )
            refund_rows = await conn.execute_fetchall(
                "SELECT COUNT(*), COALESCE(SUM(cost_estimate_micros), 0) FROM jobs "
                f"WHERE {where} AND state IN {_in(FAILED_STATES)}",
                params,
            )
            top_rows = await conn.execute_fetchall(
                "SELECT user_id, SUM(cost_micros) AS micros, SUM(images_delivered) AS images FROM jobs "
                f"WHERE {where} AND state = 'done' GROUP BY user_id HAVING SUM(cost_micros) > 0 "
                "ORDER BY micros DESC, images DESC, user_id LIMIT ?",
                (*params, TOP_MEMBERS),
            )
        by_day: dict[str, dict[str, int]] = {day: {} for day in span}
        images = jobs = estimated = 0
        for row in rows:
            by_day[row["quota_day"]][row["model"]] = int(row["micros"])
            images += int(row["images"])
            jobs += int(row["jobs"])
            estimated += int(row["est"])
        refunds = next(iter(refund_rows))
        return SpendReport(
            guild_id=guild_id,
            user_id=user_id,
            days=tuple(SpendDay(day, by_day[day]) for day in span),
            images_delivered=images,
            jobs_done=jobs,
            refunds=int(refunds[0]),
            refunded_micros=int(refunds[1]),
            estimated_micros=estimated,
            top_members=tuple(MemberSpend(r["user_id"], int(r["micros"]), int(r["images"])) for r in top_rows),
        )

    # Limits and usage ----------------------------------------------------------------------

    async def effective_limits(
        self, *, user_id: int, guild_id: int | None, role_ids: Sequence[int]
    ) -> EffectiveLimits:
        """The limits that apply to this member here, and where each comes from."""
        limits = self.limits
        if guild_id is None:
            return EffectiveLimits(
                user_limit=limits.user_daily,
                user_source="bot default",
                guild_limit=None,
                guild_source="direct messages",
                max_jobs_per_user=limits.max_jobs_per_user,
                personal=True,
            )
        overrides = await self.list_overrides(guild_id)
        user_limit, user_source, role_id = resolve_user_limit(
            overrides, user_id=user_id, role_ids=role_ids, default=limits.user_daily
        )
        guild_limit, guild_source = resolve_guild_limit(overrides, default=limits.guild_daily)
        return EffectiveLimits(
            user_limit=user_limit,
            user_source=user_source,
            guild_limit=guild_limit,
            guild_source=guild_source,
            max_jobs_per_user=limits.max_jobs_per_user,
            user_role_id=role_id,
        )

    async def usage(self, *, user_id: int, guild_id: int | None) -> QuotaUsage:
        """Images this member used today here (and the server's total), and jobs under way."""
        day = self.today()
        active, user_used, guild_used = await self._counted(self._db.fetchall, user_id, guild_id, day)
        return QuotaUsage(
            day=day,
            user_used=user_used,
            guild_used=guild_used,
            active_jobs=active,
            resets_at=self.next_reset(),
        )

    async def images_left(self, *, user_id: int, guild_id: int | None,
                          role_ids: Sequence[int]) -> tuple[int, int | None]:
        """(images this member reserved today here, their daily limit: ``None`` when unlimited).

        What ``usage`` and ``effective_limits`` say together, in one statement: a result's
        "7 of 20 images left today" is read for every job posted.
        """
        day = self.today()
        if guild_id is None:
            _, used, _ = await self._counted(self._db.fetchall, user_id, None, day)
            return used, self.limits.user_daily
        rows = await self._db.fetchall(_IMAGES_LEFT_SQL, (guild_id, day, user_id, guild_id))
        overrides = [Override.from_row(row) for row in rows if row["scope"] is not None]
        limit, _, _ = resolve_user_limit(overrides, user_id=user_id, role_ids=role_ids,
                                         default=self.limits.user_daily)
        return int(rows[0]["used"]), limit

    @staticmethod
    async def _counted(fetch: Callable[..., Awaitable[Any]], user_id: int, guild_id: int | None,
                       day: str) -> tuple[int, int, int | None]:
        """(jobs under way, images reserved today by the member here, by the whole server or
        ``None`` in direct messages), in one statement: ``fetch`` is an open transaction's
        ``execute_fetchall`` or the database's ``fetchall``."""
        active = f"(SELECT COUNT(*) FROM jobs WHERE user_id = ? AND state IN {_ACTIVE_SQL})"
        if guild_id is None:
            rows = await fetch(
                f"SELECT {active}, COALESCE(SUM(images_reserved), 0) FROM jobs "
                "WHERE user_id = ? AND guild_id IS NULL AND quota_day = ?",
                (user_id, user_id, day),
            )
            row = next(iter(rows))
            return int(row[0]), int(row[1]), None
        # The server's total is kept per day in usage_days (migration 0008): one row, however
        # many jobs the server had today; the member's own jobs are few (their daily limit).
        rows = await fetch(
            f"SELECT {active}, "
            "(SELECT COALESCE(SUM(images_reserved), 0) FROM jobs "
            "WHERE guild_id = ? AND quota_day = ? AND user_id = ?), "
            "(SELECT COALESCE(SUM(images), 0) FROM usage_days WHERE guild_id = ? AND quota_day = ?)",
            (user_id, guild_id, day, user_id, guild_id, day),
        )
        row = next(iter(rows))
        return int(row[0]), int(row[1]), int(row[2])

    # Overrides -----------------------------------------------------------------------------

    async def set_override(
        self,
        guild_id: int,
        scope: OverrideScope,
        target_id: int | None,
        limit: int | None,
        set_by: int,
    ) -> Override:
        """Set (or replace) an admin's limit; ``limit`` ``None`` is unlimited, ``0`` blocks.

        ``target_id`` is the role or member for those scopes and must be ``None`` for the two
        server-wide ones.
        """
        scope = OverrideScope(scope)
        key = _target_key(scope, target_id)
        if limit is not None and (isinstance(limit, bool) or limit < 0):
            raise ValueError(f"limit must be 0 or more, or None for unlimited, not {limit!r}")
        now = self.now().timestamp()
        async with self._db.write() as conn:
            await conn.execute(
                "INSERT INTO quota_overrides (guild_id, scope, target_id, daily_limit, set_by, "
                "set_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (guild_id, scope, target_id) DO UPDATE SET "
                "daily_limit = excluded.daily_limit, set_by = excluded.set_by, "
                "set_at = excluded.set_at",
                (guild_id, str(scope), key, limit, set_by, now),
            )
        log.info(
            "Quota override in guild %s: %s %s = %s (by %s)",
            guild_id,
            scope,
            target_id,
            "unlimited" if limit is None else limit,
            set_by,
        )
        return Override(guild_id, scope, target_id, limit, set_by, now)

    async def clear_override(self, guild_id: int, scope: OverrideScope, target_id: int | None) -> bool:
        """Remove an admin's limit so the next one in precedence applies; says if one existed."""
        scope = OverrideScope(scope)
        key = _target_key(scope, target_id)
        async with self._db.write() as conn:
            cursor = await conn.execute(
                "DELETE FROM quota_overrides WHERE guild_id = ? AND scope = ? AND target_id = ?",
                (guild_id, str(scope), key),
            )
            removed = cursor.rowcount > 0
        if removed:
            log.info("Quota override in guild %s cleared: %s %s", guild_id, scope, target_id)
        return removed

    async def list_overrides(self, guild_id: int) -> list[Override]:
        """A server's overrides: server total, server default, roles, then members."""
        rows = await self._db.fetchall(_LIST_OVERRIDES_SQL, (guild_id,))
        return [Override.from_row(row) for row in rows]

    @staticmethod
    async def _overrides(conn: aiosqlite.Connection, guild_id: int) -> list[Override]:
        """A server's overrides, inside an open transaction."""
        rows = await conn.execute_fetchall(_LIST_OVERRIDES_SQL, (guild_id,))
        return [Override.from_row(row) for row in rows]

    # Statistics ----------------------------------------------------------------------------

    async def guild_stats(self, guild_id: int, days: int = 7) -> GuildStats:
        """A server's use per UTC day over the last ``days`` days (today included, empty days
        as zeros) and its top members today and over the period."""
        if days < 1:
            raise ValueError("days must be at least 1")
        today = self.now().date()
        span = [(today - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
        first, last = span[0], span[-1]
        async with self._db.read() as conn:
            rows = await conn.execute_fetchall(
                "SELECT quota_day, COALESCE(SUM(images_reserved), 0) AS images, "
                "COUNT(*) AS jobs, "
                "SUM(state IN ('failed', 'interrupted', 'cancelled')) AS failed_jobs, "
                "COALESCE(SUM(input_tokens), 0) AS input_tokens, "
                "COALESCE(SUM(output_tokens), 0) AS output_tokens, "
                "COALESCE(SUM(total_tokens), 0) AS total_tokens "
                "FROM jobs WHERE guild_id = ? AND quota_day BETWEEN ? AND ? "
                "GROUP BY quota_day",
                (guild_id, first, last),
            )
            top_today = await self._top_members(conn, guild_id, last, last)
            top_period = await self._top_members(conn, guild_id, first, last)
        by_day = {row["quota_day"]: row for row in rows}
        day_stats = []
        for day in span:
            row = by_day.get(day)
            day_stats.append(
                DayStats(day, 0, 0, 0, 0, 0, 0)
                if row is None
                else DayStats(
                    day=day,
                    images=row["images"],
                    jobs=row["jobs"],
                    failed_jobs=row["failed_jobs"] or 0,
                    input_tokens=row["input_tokens"],
                    output_tokens=row["output_tokens"],
                    total_tokens=row["total_tokens"],
                )
            )
        return GuildStats(guild_id, tuple(day_stats), top_today, top_period)

    @staticmethod
    async def _top_members(conn: aiosqlite.Connection, guild_id: int, first: str, last: str) -> tuple[MemberStats, ...]:
        """The members with the most images charged between two days (inclusive)."""
        rows = await conn.execute_fetchall(
            "SELECT user_id, SUM(images_reserved) AS images, COUNT(*) AS jobs, "
            "SUM(total_tokens) AS tokens "
            "FROM jobs WHERE guild_id = ? AND quota_day BETWEEN ? AND ? "
            "GROUP BY user_id HAVING SUM(images_reserved) > 0 "
            "ORDER BY images DESC, tokens DESC, user_id LIMIT ?",
            (guild_id, first, last, TOP_MEMBERS),
        )
        return tuple(MemberStats(row["user_id"], row["images"], row["jobs"], row["tokens"]) for row in rows)


_LIST_OVERRIDES_SQL = (
    "SELECT guild_id, scope, target_id, daily_limit, set_by, set_at FROM quota_overrides "
    "WHERE guild_id = ? ORDER BY CASE scope WHEN 'server_total' THEN 0 WHEN 'server' THEN 1 "
    "WHEN 'role' THEN 2 ELSE 3 END, target_id"
)


# One row per override of the server (one with NULLs when it has none), each with the member's
# images reserved today.
_IMAGES_LEFT_SQL = (
    "SELECT u.used, o.guild_id, o.scope, o.target_id, o.daily_limit, o.set_by, o.set_at "
    "FROM (SELECT COALESCE(SUM(images_reserved), 0) AS used FROM jobs "
    "WHERE guild_id = ? AND quota_day = ? AND user_id = ?) AS u "
    "LEFT JOIN quota_overrides AS o ON o.guild_id = ?"
)


_LIST_BUDGETS_SQL = (
    "SELECT guild_id, scope, target_id, period, budget_micros, set_by, set_at FROM budget_overrides "
    "WHERE guild_id = ? ORDER BY CASE scope WHEN 'server_total' THEN 0 WHEN 'server' THEN 1 "
    "WHEN 'role' THEN 2 ELSE 3 END, target_id, period"
)


def _target_key(scope: OverrideScope, target_id: int | None) -> int:
    """The stored ``target_id``: the role or member id, or 0 for the server-wide scopes."""
    if scope.has_target:
        if target_id is None or target_id <= 0:
            raise ValueError(f"a {scope} override needs the {scope}'s id")
        return target_id
    if target_id is not None:
        raise ValueError(f"a {scope} override applies to the whole server; target_id must be None")
    return 0
