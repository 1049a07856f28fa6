"""``/jobs``: a member's queued, running and recent jobs; admins see and cancel the server's."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotAllowed, ValidationError
from bot.gptproto.errors import shorten
from bot.i18n import ENGLISH, text
from bot.render import BRAND
from bot.storage.jobs import JobRecord, JobState
from bot.tree import is_admin, locale_of, report
from cogs.results import cancel

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

MAX_BUTTONS = 20  # four rows of five: Discord allows 25 components, some room to spare
_STATE_ICONS = {
    JobState.QUEUED: "⏳", JobState.RUNNING: "🎨", JobState.SUBMITTED: "🎨", JobState.DELIVERING: "📤",
    JobState.DONE: "✅", JobState.FAILED: "❌", JobState.INTERRUPTED: "⚠️", JobState.CANCELLED: "✖️",
}


def job_line(job: JobRecord, *, show_member: bool, lang: str = ENGLISH) -> str:
    """One line of the list: state, model, when, (member,) prompt."""
    when = int(job.finished_at or job.started_at or job.created_at)
    who = f" · <@{job.user_id}>" if show_member else ""
    images = f" · {text(lang, 'summary-images', n=job.images_requested)}" if job.images_requested > 1 else ""
    prompt = shorten(job.options.prompt, 60).replace("`", "ʼ")
    state = f"{_STATE_ICONS[job.state]} {text(lang, 'job-state', state=str(job.state))}"
    return f"`{job.id[:8]}` **{state}** · {job.model}{images} · <t:{when}:R>{who}\n> {prompt}"


def jobs_embed(title: str, jobs: list[JobRecord], *, show_member: bool, empty: str,
               lang: str = ENGLISH) -> discord.Embed:
    """The list, cut to Discord's 4,096 characters."""
    lines: list[str] = []
    for index, job in enumerate(jobs):
        line = job_line(job, show_member=show_member, lang=lang)
        if len("\n".join([*lines, line])) > 3900:
            lines.append(text(lang, "and-more", count=len(jobs) - index))
            break
        lines.append(line)
    return discord.Embed(title=title, description="\n".join(lines) or empty, colour=BRAND)


class CancelJobButton(discord.ui.DynamicItem[discord.ui.Button], template=r"jobs:cancel:(?P<job>[0-9a-f]{32})"):
    """Cancel one job from the ``/jobs`` list; the job id lives in the ``custom_id``."""

    def __init__(self, job_id: str, lang: str = ENGLISH) -> None:
        super().__init__(discord.ui.Button(label=text(lang, "jobs-cancel-button", job=job_id[:8]),
                                           style=discord.ButtonStyle.danger, custom_id=f"jobs:cancel:{job_id}"))
        self.job_id = job_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> CancelJobButton:
        """Rebuild the button from a click, after a restart too."""
        return cls(match["job"])

    async def callback(self, interaction: discord.Interaction) -> Any:
        """Cancel the job (its member, or an admin of its server), refund it, tell its member."""
        bot: ImageBot = interaction.client  # type: ignore[assignment]
        try:
            job = await bot.db.jobs.get(self.job_id)
            if job is None:
                raise ValidationError(msg_id="jobs-unknown")
            await cancel(bot, interaction, job, privately=True)
            lang = locale_of(interaction)
            reply = (text(lang, "jobs-cancelled", job=job.id[:8]) if job.user_id == interaction.user.id
                     else text(lang, "jobs-cancelled-for", job=job.id[:8], user=str(job.user_id)))
            await interaction.followup.send(reply, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        except Exception as error:
            await report(interaction, error, what=f"cancel of job {self.job_id}")


def cancel_view(jobs: list[JobRecord], lang: str = ENGLISH) -> discord.ui.View | None:
    """Cancel buttons for the active jobs of a list (none for jobs being posted)."""
    active = [j for j in jobs if j.is_active and j.state is not JobState.DELIVERING][:MAX_BUTTONS]
    if not active:
        return None
    view = discord.ui.View(timeout=None)
    for job in active:
        view.add_item(CancelJobButton(job.id, lang))
    return view


class Jobs(commands.Cog):
    """The ``/jobs`` list."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot

    @app_commands.command(name="jobs")
    async def jobs(self, interaction: discord.Interaction, server: bool = False) -> None:
        """See your running and queued image jobs and your last ten finished ones, and cancel them.

        Parameters
        ----------
        server:
            (Admins) The whole server's queue, with a Cancel button on every job.
        """
        lang = locale_of(interaction)
        if server:
            if interaction.guild_id is None:
                raise ValidationError(msg_id="jobs-server-only")
            # default_permissions cannot cover one option: Manage Server is checked here.
            if not is_admin(interaction):
                raise NotAllowed(msg_id="jobs-server-not-allowed")
            jobs = await self.bot.db.jobs.list_active_in_guild(interaction.guild_id)
            embed = jobs_embed(text(lang, "jobs-server-title", count=len(jobs)), jobs, show_member=True,
                               empty=text(lang, "jobs-server-empty"), lang=lang)
        else:
            jobs = await self.bot.db.jobs.list_for_member(interaction.user.id, interaction.guild_id)
            active = sum(j.is_active for j in jobs)
            embed = jobs_embed(text(lang, "jobs-member-title", count=active), jobs, show_member=False,
                               empty=text(lang, "jobs-member-empty"), lang=lang)
        view = cancel_view(jobs, lang)
        kwargs: dict[str, Any] = {"view": view} if view is not None else {}
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=discord.AllowedMentions.none(), **kwargs)


async def setup(bot: ImageBot) -> None:
    """Load the cog and its persistent Cancel button."""
    bot.add_dynamic_items(CancelJobButton)
    await bot.add_cog(Jobs(bot))
