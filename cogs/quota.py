"""``/quota``: members see where they stand; admins see the server and set limits."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotAllowed, ValidationError
from bot.money import format_usd, usd_to_micros
from bot.render import BRAND
from bot.storage.quotas import BudgetPeriod, BudgetStanding, EffectiveLimits, OverrideScope, QuotaUsage
from bot.tree import is_admin

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

UNLIMITED = ("unlimited", "none", "off", "∞")
MAX_BUDGET_USD = 1_000_000.0


def parse_limit(text: str) -> int | None:
    """``"12"`` → 12, ``"unlimited"`` → None; anything else is refused with a sentence."""
    value = text.strip().lower()
    if value in UNLIMITED:
        return None
    if value.isdigit() and int(value) <= 1_000_000:
        return int(value)
    raise ValidationError(f"`{text}` is not a limit: use a whole number of images per day, 0 to block, or `unlimited`.")


def parse_budget(amount: float) -> int:
    """``budget_usd`` (a number Discord sends as a float) as micro-dollars, exactly."""
    try:
        micros = usd_to_micros(amount)
    except ValueError:
        micros = -1
    if micros < 0 or amount > MAX_BUDGET_USD:
        raise ValidationError(f"`{amount}` is not a budget: use an amount of US dollars from 0 (blocks) "
                              f"to {MAX_BUDGET_USD:,.0f}.")
    return micros


def show_budget(micros: int | None) -> str:
    """``$2.00`` or ``unlimited``."""
    return "unlimited" if micros is None else format_usd(micros, 2 if micros >= 10_000 else None)


def money_left(budget: int | None, spent: int) -> str:
    """``$1.20 of $2.00`` left, or ``unlimited``."""
    if budget is None:
        return "unlimited"
    return f"{show_budget(max(0, budget - spent))} of {show_budget(budget)}"


def add_budget_fields(embed: discord.Embed, standing: BudgetStanding) -> None:
    """Money spent and left where a budget applies (nothing when every budget is unlimited)."""
    budgets = standing.budgets
    if not budgets.applies:
        return
    embed.add_field(name="Spent today", value=format_usd(standing.user_spent))
    embed.add_field(name="Budget left today", value=money_left(budgets.user_budget, standing.user_spent))
    if not budgets.personal:
        server = [f"today {money_left(budgets.guild_daily, standing.guild_spent_today)}"]
        if budgets.guild_monthly is not None:
            month = int(standing.month_resets_at.timestamp())
            server.append(f"this month {money_left(budgets.guild_monthly, standing.guild_spent_month)} "
                          f"(resets <t:{month}:R>)")
        embed.add_field(name="Server budget left", value="\n".join(server), inline=False)


def fit_field(lines: list[str], limit: int = 1024) -> str:
    """Lines joined for an embed field, cut with "…and N more" to stay within Discord's 1,024."""
    shown: list[str] = []
    for index, line in enumerate(lines):
        more = f"…and {len(lines) - index} more"
        if len("\n".join([*shown, line])) + len(more) + 1 > limit:
            return "\n".join([*shown, more])
        shown.append(line)
    return "\n".join(shown)


def show_limit(limit: int | None) -> str:
    """``20 images`` or ``unlimited``."""
    return "unlimited" if limit is None else f"{limit} image{'s' if limit != 1 else ''}"


def source_text(limits: EffectiveLimits) -> str:
    """Where the member's limit comes from, in words."""
    if limits.user_role_id:
        return f"from the <@&{limits.user_role_id}> role"
    return {"member override": "set for you by an admin", "server default": "this server's default",
            "bot default": "the bot's default"}.get(limits.user_source, limits.user_source)


def standing_embed(user: discord.abc.User, usage: QuotaUsage, limits: EffectiveLimits) -> discord.Embed:
    """A member's use today, what is left, and when it resets."""
    stamp = int(usage.resets_at.timestamp())
    embed = discord.Embed(title=f"Image quota of {user.display_name}", colour=BRAND)
    if limits.user_limit is None:
        left = "unlimited"
    else:
        left = str(max(0, limits.user_limit - usage.user_used))
    embed.add_field(name="Used today", value=str(usage.user_used))
    embed.add_field(name="Left today", value=left)
    embed.add_field(name="Daily limit", value=f"{show_limit(limits.user_limit)} ({source_text(limits)})", inline=False)
    if not limits.personal:
        server_left = ("unlimited" if limits.guild_limit is None
                       else f"{max(0, limits.guild_limit - (usage.guild_used or 0))} of {limits.guild_limit}")
        embed.add_field(name="Server left today", value=server_left)
    embed.add_field(name="Jobs running", value=f"{usage.active_jobs} of {limits.max_jobs_per_user}")
    embed.add_field(name="Resets", value=f"<t:{stamp}:R> (<t:{stamp}:t>)", inline=False)
    return embed


class Quota(commands.GroupCog, group_name="quota", group_description="See and manage daily image limits"):
    """Daily image quotas."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        super().__init__()

    async def _standing(self, guild_id: int | None, user: discord.abc.User, role_ids: list[int]) -> discord.Embed:
        quotas = self.bot.db.quotas
        usage = await quotas.usage(user_id=user.id, guild_id=guild_id)
        limits = await quotas.effective_limits(user_id=user.id, guild_id=guild_id, role_ids=role_ids)
        embed = standing_embed(user, usage, limits)
        money = await quotas.budget_standing(user_id=user.id, guild_id=guild_id, role_ids=role_ids)
        add_budget_fields(embed, money)
        return embed

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        """See how many images you have made today, what you spent, and what is left.

        Parameters
        ----------
        member:
            (Admins) see another member's use instead of your own.
        """
        target: discord.abc.User = member or interaction.user
        if member is not None and member.id != interaction.user.id and not is_admin(interaction):
            raise NotAllowed("Only server admins (Manage Server) can see another member's quota.")
        role_ids = [r.id for r in getattr(target, "roles", [])]
        embed = await self._standing(interaction.guild_id, target, role_ids)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="set")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def set_limit(
        self,
        interaction: discord.Interaction,
        limit: str | None = None,
        budget_usd: app_commands.Range[float, 0.0, MAX_BUDGET_USD] | None = None,
        period: Literal["day", "month"] | None = None,
        member: discord.Member | None = None,
        role: discord.Role | None = None,
        server_total: bool = False,
    ) -> None:
        """(Admins) Set a daily image limit or a spending budget for a member, a role, or the server.

        Parameters
        ----------
        limit:
            Images per day: a number, 0 to block, or "unlimited".
        budget_usd:
            Money per day in US dollars (0 blocks), counted at the bot's prices.
        period:
            The budget's period: day (default), or month for the server's total only.
        member:
            Set this member's own limit (wins over role and server limits).
        role:
            Set the limit of members with this role (the most generous role wins).
        server_total:
            Set the whole server's total instead of the per-member default.
        """
        scope, target_id, what = self._target(interaction, member, role, server_total)
        # Every option is checked before anything is stored: a refusal changes nothing.
        if limit is None and budget_usd is None:
            raise ValidationError("Give a `limit` (images per day), a `budget_usd` (dollars), or both.")
        if period is not None and budget_usd is None:
            raise ValidationError("`period` goes with `budget_usd`; give the budget too.")
        budget_period = BudgetPeriod(period or "day")
        if budget_period is BudgetPeriod.MONTH and scope is not OverrideScope.SERVER_TOTAL:
            raise ValidationError("A monthly budget is only for the server's total: add `server_total:True`, "
                                  "or use `period:day`.")
        value = parse_limit(limit) if limit is not None else None
        micros = parse_budget(budget_usd) if budget_usd is not None else None
        quotas = self.bot.db.quotas
        done = []
        if limit is not None:
            await quotas.set_override(interaction.guild_id, scope, target_id, value, interaction.user.id)
            done.append(f"{show_limit(value)} per day")
        if micros is not None:
            await quotas.set_budget(interaction.guild_id, scope, target_id, micros, interaction.user.id,
                                    period=budget_period)
            done.append(f"a budget of {show_budget(micros)} per {budget_period}")
        log.info("quota override in guild %s: %s %s = %s images, %s micro-dollars per %s (by %s)",
                 interaction.guild_id, scope, target_id, value if limit is not None else "-",
                 micros if micros is not None else "-", budget_period, interaction.user.id)
        await interaction.response.send_message(f"Done: {what} is now {' and '.join(done)}.", ephemeral=True)

    @app_commands.command(name="clear")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def clear_limit(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        role: discord.Role | None = None,
        server_total: bool = False,
        what: Literal["all", "images", "budget"] = "all",
        period: Literal["day", "month"] | None = None,
    ) -> None:
        """(Admins) Remove a limit or budget you set, so the next one down applies again.

        Parameters
        ----------
        member:
            Clear this member's own limit.
        role:
            Clear this role's limit.
        server_total:
            Clear the server's total instead of the per-member default.
        what:
            Clear the image limit, the budget, or both (default).
        period:
            For the server's total: clear only its daily or monthly budget (default both).
        """
        scope, target_id, where = self._target(interaction, member, role, server_total)
        if period == "month" and scope is not OverrideScope.SERVER_TOTAL:
            raise ValidationError("Only the server's total has a monthly budget: add `server_total:True`.")
        if period is not None and what == "images":
            raise ValidationError("`period` is for budgets; leave it out to clear the image limit.")
        quotas = self.bot.db.quotas
        cleared = []
        if what in ("all", "images") and await quotas.clear_override(interaction.guild_id, scope, target_id):
            cleared.append("image limit")
        budget_period = BudgetPeriod(period) if period else None
        if what in ("all", "budget") and await quotas.clear_budget(interaction.guild_id, scope, target_id,
                                                                   budget_period):
            cleared.append({"day": "daily budget", "month": "monthly budget"}.get(period or "", "budget"))
        asked = {"all": "limit or budget", "images": "limit", "budget": "budget"}[what]
        text = (f"Cleared the {' and '.join(cleared)} of {where}." if cleared
                else f"There was no {asked} set for {where}.")
        await interaction.response.send_message(text, ephemeral=True)

    def _target(self, interaction: discord.Interaction, member: discord.Member | None,
                role: discord.Role | None, server_total: bool) -> tuple[OverrideScope, int | None, str]:
        # default_permissions is only a hint that admins can change: check at run time too.
        if not is_admin(interaction):
            raise NotAllowed("Only server admins (Manage Server) can change limits.")
        if sum(x is not None and x is not False for x in (member, role, server_total or None)) > 1:
            raise ValidationError("Choose one of `member`, `role` or `server_total`, not several.")
        if member is not None:
            return OverrideScope.MEMBER, member.id, member.mention
        if role is not None:
            return OverrideScope.ROLE, role.id, f"the {role.mention} role"
        if server_total:
            return OverrideScope.SERVER_TOTAL, None, "this server's total"
        return OverrideScope.SERVER_MEMBER_DEFAULT, None, "every member's default in this server"

    @app_commands.command(name="stats")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def stats(self, interaction: discord.Interaction) -> None:
        """(Admins) This server's images and tokens today and over the last 7 days, and the limits set."""
        if not is_admin(interaction):
            raise NotAllowed("Only server admins (Manage Server) can see the server's statistics.")
        quotas = self.bot.db.quotas
        stats = await quotas.guild_stats(interaction.guild_id, days=7)
        overrides = await quotas.list_overrides(interaction.guild_id)
        embed = discord.Embed(title="Image use in this server", colour=BRAND)
        today = stats.today
        embed.add_field(name="Today", value=f"{today.images} images, {today.jobs} jobs, {today.total_tokens:,} tokens")
        embed.add_field(name="Last 7 days", value=f"{stats.images} images, {stats.total_tokens:,} tokens")
        daily = fit_field([f"`{d.day}` {d.images} images, {d.total_tokens:,} tokens" for d in stats.days])
        embed.add_field(name="Per day", value=daily or "nothing yet", inline=False)
        top = fit_field([f"<@{m.user_id}>: {m.images} images, {m.tokens:,} tokens" for m in stats.top_period])
        embed.add_field(name="Top members (7 days)", value=top or "nobody yet", inline=False)
        lines = []
        for o in overrides:
            who = {OverrideScope.MEMBER: f"<@{o.target_id}>", OverrideScope.ROLE: f"<@&{o.target_id}>",
                   OverrideScope.SERVER_TOTAL: "server total",
                   OverrideScope.SERVER_MEMBER_DEFAULT: "member default"}[o.scope]
            lines.append(f"{who}: {show_limit(o.limit)}")
        for b in await quotas.list_budgets(interaction.guild_id):
            who = {OverrideScope.MEMBER: f"<@{b.target_id}>", OverrideScope.ROLE: f"<@&{b.target_id}>",
                   OverrideScope.SERVER_TOTAL: "server total",
                   OverrideScope.SERVER_MEMBER_DEFAULT: "member default"}[b.scope]
            lines.append(f"{who}: budget {show_budget(b.limit)} per {b.period}")
        set_here = fit_field(lines) or "none (the bot's defaults apply)"
        embed.add_field(name="Limits set here", value=set_here, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Quota(bot))
