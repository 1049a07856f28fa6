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
from bot.money import format_usd
from bot.render import BRAND
from bot.tree import is_admin
from cogs.quota import fit_field

if TYPE_CHECKING:
    from bot.app import ImageBot
    from bot.storage.quotas import SpendReport

log = logging.getLogger(__name__)

CHART_FILENAME = "usage.png"


def usage_embed(report: SpendReport, *, title: str, days: int) -> discord.Embed:
    """Totals, images delivered, refunds, spend per model and the top members, beside the chart."""
    images = f"{report.images_delivered} image{'s' if report.images_delivered != 1 else ''}"
    jobs = f"{report.jobs_done} job{'s' if report.jobs_done != 1 else ''}"
    embed = discord.Embed(
        title=title,
        description=f"**{format_usd(report.total)}** over the last {days} day{'s' if days != 1 else ''} "
                    f"(UTC), for {images} delivered in {jobs}.",
        colour=BRAND,
    )
    embed.add_field(name="Today", value=format_usd(report.days[-1].total))
    refunds = f"{report.refunds} job{'s' if report.refunds != 1 else ''}"
    embed.add_field(name="Refunded", value=f"{refunds} ({format_usd(report.refunded_micros)} not charged)")
    totals: dict[str, int] = {}
    for day in report.days:
        for model, micros in day.by_model.items():
            totals[model] = totals.get(model, 0) + micros
    per_model = fit_field([f"`{m}` {format_usd(totals[m])}" for m in report.models])
    embed.add_field(name="Per model", value=per_model or "nothing yet", inline=False)
    if report.user_id is None:
        top = fit_field([f"<@{m.user_id}>: {format_usd(m.micros)}, {m.images} image{'s' if m.images != 1 else ''}"
                         for m in report.top_members])
        embed.add_field(name="Top members by spend", value=top or "nobody yet", inline=False)
    note = "Costs at the bot's prices (PRICES_FILE or the built-in list prices)."
    if report.estimated_micros:
        note += f" {format_usd(report.estimated_micros)} of it is estimated (edits report no token usage)."
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
            raise NotAllowed("Only server admins (Manage Server) can see the server's spending.")
        # Discord drops the interaction after 3 s; drawing the chart can take longer on a busy host.
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self.bot.db.quotas.spend_report(interaction.guild_id, days=days,
                                                       user_id=member.id if member else None)
        guild_name = interaction.guild.name if interaction.guild else "this server"
        title = f"Spending of {member.display_name}" if member else f"Spending in {guild_name}"
        png = await asyncio.to_thread(spend_chart, report, title=title)
        embed = usage_embed(report, title=title, days=days)
        await interaction.followup.send(embed=embed, file=discord.File(io.BytesIO(png), filename=CHART_FILENAME),
                                        ephemeral=True)
        log.info("usage report for guild %s (%d days%s) shown to %s", interaction.guild_id, days,
                 f", member {member.id}" if member else "", interaction.user.id)


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Usage(bot))
