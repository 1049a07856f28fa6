"""``/usage``: what the server spent, per day and model, as a chart and an embed (admins)."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.charts import spend_chart
from bot.errors import NotAllowed
from bot.i18n import ENGLISH, Msg, text
from bot.money import format_usd
from bot.render import BRAND
from bot.tree import is_admin, locale_of
from cogs.quota import fit_field

if TYPE_CHECKING:
    from bot.app import ImageBot
    from bot.storage.quotas import SpendReport

log = logging.getLogger(__name__)

CHART_FILENAME = "usage.png"


def usage_embed(report: SpendReport, *, title: str, days: int, lang: str = ENGLISH) -> discord.Embed:
    """Totals, images delivered, refunds, spend per model and the top members, beside the chart."""
    embed = discord.Embed(
        title=title,
        description=text(lang, "usage-summary", total=format_usd(report.total), days=days,
                         images=report.images_delivered, jobs=report.jobs_done),
        colour=BRAND,
    )
    embed.add_field(name=text(lang, "usage-today"), value=format_usd(report.days[-1].total))
    embed.add_field(name=text(lang, "usage-refunded"), value=text(
        lang, "usage-refunded-value", jobs=report.refunds, amount=format_usd(report.refunded_micros)))
    totals: dict[str, int] = {}
    for day in report.days:
        for model, micros in day.by_model.items():
            totals[model] = totals.get(model, 0) + micros
    per_model = fit_field([f"`{m}` {format_usd(totals[m])}" for m in report.models], lang=lang)
    embed.add_field(name=text(lang, "usage-per-model"), value=per_model or text(lang, "nothing-yet"), inline=False)
    if report.user_id is None:
        top = fit_field([text(lang, "usage-member-line", user=str(m.user_id), amount=format_usd(m.micros),
                              images=m.images) for m in report.top_members], lang=lang)
        embed.add_field(name=text(lang, "usage-top-members"), value=top or text(lang, "nobody-yet"), inline=False)
    if report.estimated_micros:
        note = text(lang, "usage-note-estimated", estimated=format_usd(report.estimated_micros))
    else:
        note = text(lang, "usage-note")
    embed.set_footer(text=note)
    embed.set_image(url=f"attachment://{CHART_FILENAME}")
    return embed


class Usage(commands.Cog):
    """Spending reports for admins."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot

    @app_commands.command(name="usage")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def usage(
        self,
        interaction: discord.Interaction,
        days: app_commands.Range[int, 1, 90] = 30,
        member: discord.Member | None = None,
    ) -> None:
        """(Admins) What this server spent on images: a chart per day and model, totals and top members.

        Parameters
        ----------
        days:
            How many days back to show, today included (1 to 90; default 30).
        member:
            Show only this member's spending.
        """
        # default_permissions is only a hint that admins can change: check at run time too.
        if not is_admin(interaction):
            raise NotAllowed(msg_id="usage-not-allowed")
        # Discord drops the interaction after 3 s; drawing the chart can take longer on a busy host.
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.db.quotas.spend_report(interaction.guild_id, days=days,
                                                       user_id=member.id if member else None)
        lang = locale_of(interaction)
        if member is not None:
            title = Msg("usage-title-member", {"name": member.display_name})
        elif interaction.guild is not None:
            title = Msg("usage-title-server", {"name": interaction.guild.name})
        else:
            title = Msg("usage-title-this-server")
        png = await asyncio.to_thread(spend_chart, report, title=title, lang=lang)
        embed = usage_embed(report, title=title.render(lang), days=days, lang=lang)
        await interaction.followup.send(embed=embed, file=discord.File(io.BytesIO(png), filename=CHART_FILENAME),
                                        ephemeral=True)
        log.info("usage report for guild %s (%d days%s) shown to %s", interaction.guild_id, days,
                 f", member {member.id}" if member else "", interaction.user.id)


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Usage(bot))
