"""``/quota``: members see where they stand; admins see the server and set limits."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotAllowed, ValidationError
from bot.i18n import ENGLISH, AndList, Msg, plain, text
from bot.money import format_usd, usd_to_micros
from bot.render import BRAND
from bot.storage.quotas import BudgetPeriod, BudgetStanding, EffectiveLimits, OverrideScope, QuotaUsage
from bot.tree import is_admin, locale_of

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
    raise ValidationError(msg_id="limit-invalid", args={"value": text})


def parse_budget(amount: float) -> int:
    """``budget_usd`` (a number Discord sends as a float) as micro-dollars, exactly."""
    try:
        micros = usd_to_micros(amount)
    except ValueError:
        micros = -1
    if micros < 0 or amount > MAX_BUDGET_USD:
        raise ValidationError(msg_id="budget-invalid", args={"value": str(amount), "max": f"{MAX_BUDGET_USD:,.0f}"})
    return micros


def show_budget(micros: int | None, lang: str = ENGLISH) -> str:
    """``$2.00`` or ``unlimited``."""
    return text(lang, "unlimited") if micros is None else format_usd(micros, 2 if micros >= 10_000 else None)


def money_left(budget: int | None, spent: int, lang: str = ENGLISH) -> str:
    """``$1.20 of $2.00`` left, or ``unlimited``."""
    if budget is None:
        return text(lang, "unlimited")
    return text(lang, "amount-of", part=show_budget(max(0, budget - spent), lang), whole=show_budget(budget, lang))


def add_budget_fields(embed: discord.Embed, standing: BudgetStanding, lang: str = ENGLISH) -> None:
    """Money spent and left where a budget applies (nothing when every budget is unlimited)."""
    budgets = standing.budgets
    if not budgets.applies:
        return
    embed.add_field(name=text(lang, "quota-spent-today"), value=format_usd(standing.user_spent))
    embed.add_field(name=text(lang, "quota-budget-left-today"),
                    value=money_left(budgets.user_budget, standing.user_spent, lang))
    if not budgets.personal:
        server = [text(lang, "quota-server-budget-today",
                       left=money_left(budgets.guild_daily, standing.guild_spent_today, lang))]
        if budgets.guild_monthly is not None:
            month = int(standing.month_resets_at.timestamp())
            server.append(text(lang, "quota-server-budget-month",
                               left=money_left(budgets.guild_monthly, standing.guild_spent_month, lang),
                               stamp=str(month)))
        embed.add_field(name=text(lang, "quota-server-budget-left"), value="\n".join(server), inline=False)


def fit_field(lines: list[str], limit: int = 1024, lang: str = ENGLISH) -> str:
    """Lines joined for an embed field, cut with "…and N more" to stay within Discord's 1,024."""
    shown: list[str] = []
    for index, line in enumerate(lines):
        more = text(lang, "and-more", count=len(lines) - index)
        if len("\n".join([*shown, line])) + len(more) + 1 > limit:
            return "\n".join([*shown, more])
        shown.append(line)
    return "\n".join(shown)


def show_limit(limit: int | None, lang: str = ENGLISH) -> str:
    """``20 images`` or ``unlimited``."""
    return text(lang, "unlimited") if limit is None else text(lang, "images-count", count=plain(limit))


def source_text(limits: EffectiveLimits, lang: str = ENGLISH) -> str:
    """Where the member's limit comes from, in words."""
    if limits.user_role_id:
        return text(lang, "limit-source-role", role=str(limits.user_role_id))
    msg_id = {"member override": "limit-source-member", "server default": "limit-source-server",
              "bot default": "limit-source-bot"}.get(limits.user_source)
    return text(lang, msg_id) if msg_id else limits.user_source


def standing_embed(user: discord.abc.User, usage: QuotaUsage, limits: EffectiveLimits,
                   lang: str = ENGLISH) -> discord.Embed:
    """A member's use today, what is left, and when it resets."""
    stamp = int(usage.resets_at.timestamp())
    embed = discord.Embed(title=text(lang, "quota-title", name=user.display_name), colour=BRAND)
    if limits.user_limit is None:
        left = text(lang, "unlimited")
    else:
        left = str(max(0, limits.user_limit - usage.user_used))
    embed.add_field(name=text(lang, "quota-used-today"), value=str(usage.user_used))
    embed.add_field(name=text(lang, "quota-left-today"), value=left)
    embed.add_field(name=text(lang, "quota-daily-limit"),
                    value=text(lang, "quota-limit-with-source", limit=show_limit(limits.user_limit, lang),
                               source=source_text(limits, lang)), inline=False)
    if not limits.personal:
        server_left = (text(lang, "unlimited") if limits.guild_limit is None
                       else text(lang, "amount-of", part=str(max(0, limits.guild_limit - (usage.guild_used or 0))),
                                 whole=str(limits.guild_limit)))
        embed.add_field(name=text(lang, "quota-server-left-today"), value=server_left)
    embed.add_field(name=text(lang, "quota-jobs-running"),
                    value=text(lang, "amount-of", part=str(usage.active_jobs), whole=str(limits.max_jobs_per_user)))
    embed.add_field(name=text(lang, "quota-resets"), value=f"<t:{stamp}:R> (<t:{stamp}:t>)", inline=False)
    return embed


class Quota(commands.GroupCog, group_name="quota", group_description="See and manage daily image limits"):
    """Daily image quotas."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        super().__init__()

    async def _standing(self, guild_id: int | None, user: discord.abc.User, role_ids: list[int],
                        lang: str) -> discord.Embed:
        quotas = self.bot.db.quotas
        usage = await quotas.usage(user_id=user.id, guild_id=guild_id)
        limits = await quotas.effective_limits(user_id=user.id, guild_id=guild_id, role_ids=role_ids)
        embed = standing_embed(user, usage, limits, lang)
        money = await quotas.budget_standing(user_id=user.id, guild_id=guild_id, role_ids=role_ids)
        add_budget_fields(embed, money, lang)
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
            raise NotAllowed(msg_id="quota-show-not-allowed")
        role_ids = [r.id for r in getattr(target, "roles", [])]
        embed = await self._standing(interaction.guild_id, target, role_ids, locale_of(interaction))
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
        lang = locale_of(interaction)
        scope, target_id, what = self._target(interaction, member, role, server_total)
        # Every option is checked before anything is stored: a refusal changes nothing.
        if limit is None and budget_usd is None:
            raise ValidationError(msg_id="quota-set-nothing")
        if period is not None and budget_usd is None:
            raise ValidationError(msg_id="quota-period-without-budget")
        budget_period = BudgetPeriod(period or "day")
        if budget_period is BudgetPeriod.MONTH and scope is not OverrideScope.SERVER_TOTAL:
            raise ValidationError(msg_id="quota-month-server-only")
        value = parse_limit(limit) if limit is not None else None
        micros = parse_budget(budget_usd) if budget_usd is not None else None
        quotas = self.bot.db.quotas
        done = []
        if limit is not None:
            await quotas.set_override(interaction.guild_id, scope, target_id, value, interaction.user.id)
            done.append(Msg("quota-done-limit", {"limit": show_limit(value, lang)}))
        if micros is not None:
            await quotas.set_budget(interaction.guild_id, scope, target_id, micros, interaction.user.id,
                                    period=budget_period)
            done.append(Msg("quota-done-budget", {"budget": show_budget(micros, lang), "period": str(budget_period)}))
        log.info("quota override in guild %s: %s %s = %s images, %s micro-dollars per %s (by %s)",
                 interaction.guild_id, scope, target_id, value if limit is not None else "-",
                 micros if micros is not None else "-", budget_period, interaction.user.id)
        await interaction.response.send_message(
            text(lang, "quota-set-done", target=what.render(lang), what=AndList(tuple(done))), ephemeral=True)

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
        lang = locale_of(interaction)
        scope, target_id, where = self._target(interaction, member, role, server_total)
        if period == "month" and scope is not OverrideScope.SERVER_TOTAL:
            raise ValidationError(msg_id="quota-clear-month-server-only")
        if period is not None and what == "images":
            raise ValidationError(msg_id="quota-clear-period-images")
        quotas = self.bot.db.quotas
        cleared = []
        if what in ("all", "images") and await quotas.clear_override(interaction.guild_id, scope, target_id):
            cleared.append(Msg("quota-cleared-limit"))
        budget_period = BudgetPeriod(period) if period else None
        if what in ("all", "budget") and await quotas.clear_budget(interaction.guild_id, scope, target_id,
                                                                   budget_period):
            cleared.append(Msg("quota-cleared-budget", {"period": period or "any"}))
        reply = (text(lang, "quota-cleared", what=AndList(tuple(cleared)), target=where.render(lang)) if cleared
                 else text(lang, "quota-nothing-to-clear", asked=what, target=where.render(lang)))
        await interaction.response.send_message(reply, ephemeral=True)

    def _target(self, interaction: discord.Interaction, member: discord.Member | None,
                role: discord.Role | None, server_total: bool) -> tuple[OverrideScope, int | None, Msg]:
        # default_permissions is only a hint that admins can change: check at run time too.
        if not is_admin(interaction):
            raise NotAllowed(msg_id="quota-set-not-allowed")
        if sum(x is not None and x is not False for x in (member, role, server_total or None)) > 1:
            raise ValidationError(msg_id="quota-one-target")
        if member is not None:
            return OverrideScope.MEMBER, member.id, Msg("target-member", {"member": member.mention})
        if role is not None:
            return OverrideScope.ROLE, role.id, Msg("target-role", {"role": role.mention})
        if server_total:
            return OverrideScope.SERVER_TOTAL, None, Msg("target-server-total")
        return OverrideScope.SERVER_MEMBER_DEFAULT, None, Msg("target-member-default")

    @app_commands.command(name="stats")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def stats(self, interaction: discord.Interaction) -> None:
        """(Admins) This server's images and tokens today and over the last 7 days, and the limits set."""
        if not is_admin(interaction):
            raise NotAllowed(msg_id="quota-stats-not-allowed")
        lang = locale_of(interaction)
        quotas = self.bot.db.quotas
        stats = await quotas.guild_stats(interaction.guild_id, days=7)
        overrides = await quotas.list_overrides(interaction.guild_id)
        embed = discord.Embed(title=text(lang, "stats-title"), colour=BRAND)
        today = stats.today
        embed.add_field(name=text(lang, "stats-today"), value=text(
            lang, "stats-today-value", images=today.images, jobs=today.jobs, tokens=today.total_tokens))
        embed.add_field(name=text(lang, "stats-last-7-days"),
                        value=text(lang, "stats-period-value", images=stats.images, tokens=stats.total_tokens))
        daily = fit_field([text(lang, "stats-day-line", day=str(d.day), images=d.images, tokens=d.total_tokens)
                           for d in stats.days], lang=lang)
        embed.add_field(name=text(lang, "stats-per-day"), value=daily or text(lang, "nothing-yet"), inline=False)
        top = fit_field([text(lang, "stats-member-line", user=str(m.user_id), images=m.images, tokens=m.tokens)
                         for m in stats.top_period], lang=lang)
        embed.add_field(name=text(lang, "stats-top-members"), value=top or text(lang, "nobody-yet"), inline=False)
        lines = []
        for o in overrides:
            lines.append(text(lang, "stats-limit-line", who=self._who(o.scope, o.target_id, lang),
                              limit=show_limit(o.limit, lang)))
        for b in await quotas.list_budgets(interaction.guild_id):
            lines.append(text(lang, "stats-budget-line", who=self._who(b.scope, b.target_id, lang),
                              budget=show_budget(b.limit, lang), period=str(b.period)))
        set_here = fit_field(lines, lang=lang) or text(lang, "stats-no-limits")
        embed.add_field(name=text(lang, "stats-limits-set"), value=set_here, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


    @staticmethod
    def _who(scope: OverrideScope, target_id: int | None, lang: str) -> str:
        """Whom an override or budget is for, in the stats list."""
        return {OverrideScope.MEMBER: f"<@{target_id}>", OverrideScope.ROLE: f"<@&{target_id}>",
                OverrideScope.SERVER_TOTAL: text(lang, "stats-server-total"),
                OverrideScope.SERVER_MEMBER_DEFAULT: text(lang, "stats-member-default")}[scope]


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Quota(bot))
