"""``/blocklist``: words and phrases a server refuses in prompts, before any call and at no cost."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.blocklist import MAX_TERMS, check_term
from bot.i18n import plain, text
from bot.render import BRAND
from bot.tree import is_admin, locale_of
from cogs.settings import require_admin

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

LIST_CHARS = 3800


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Blocklist(commands.GroupCog, group_name="blocklist",
                group_description="(Admins) Words and phrases refused in prompts"):
    """Blocked terms."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="add")
    async def add(self, interaction: discord.Interaction, term: str) -> None:
        """(Admins) Refuse prompts that contain a word or phrase, however it is spaced or spelled.

        Parameters
        ----------
        term:
            A word or short phrase (whole words only: blocking "ass" does not block "class").
        """
        require_admin(interaction)
        term_text = check_term(term)
        added = await self.bot.db.settings.add_term(interaction.guild_id, term_text, by=interaction.user.id)
        self.bot.policies.forget(interaction.guild_id)
        count = len(await self.bot.db.settings.terms(interaction.guild_id))
        if added:
            log.info("blocklist of guild %s: term added by %s (%d terms)", interaction.guild_id,
                     interaction.user.id, count)
            reply = text(locale_of(interaction), "blocklist-added", term=term_text, count=plain(count),
                         max=plain(MAX_TERMS))
        else:
            reply = text(locale_of(interaction), "blocklist-already", term=term_text)
        await interaction.response.send_message(reply, ephemeral=True)

    @app_commands.command(name="remove")
    async def remove(self, interaction: discord.Interaction, term: str) -> None:
        """(Admins) Allow a blocked word or phrase again.

        Parameters
        ----------
        term:
            The blocked term, as `/blocklist list` shows it.
        """
        require_admin(interaction)
        term_text = check_term(term)
        removed = await self.bot.db.settings.remove_term(interaction.guild_id, term_text)
        self.bot.policies.forget(interaction.guild_id)
        if removed:
            log.info("blocklist of guild %s: term removed by %s", interaction.guild_id, interaction.user.id)
        reply = text(locale_of(interaction), "blocklist-removed" if removed else "blocklist-not-blocked",
                     term=term_text)
        await interaction.response.send_message(reply, ephemeral=True)

    @remove.autocomplete("term")
    async def term_autocomplete(self, interaction: discord.Interaction,
                                current: str) -> list[app_commands.Choice[str]]:
        """The blocked terms that start with what was typed (admins only)."""
        if not is_admin(interaction):
            return []
        policy = await self.bot.policies.get(interaction.guild_id)
        typed = current.strip().lower()
        return [app_commands.Choice(name=t[:100], value=t[:100]) for t in policy.matcher.terms
                if t.lower().startswith(typed)][:25]

    @app_commands.command(name="list")
    async def list_terms(self, interaction: discord.Interaction) -> None:
        """(Admins) The words and phrases refused in prompts here."""
        require_admin(interaction)
        lang = locale_of(interaction)
        terms = await self.bot.db.settings.terms(interaction.guild_id)
        title = text(lang, "blocklist-title", count=plain(len(terms)), max=plain(MAX_TERMS))
        embed = discord.Embed(title=title, colour=BRAND)
        lines: list[str] = []
        for index, term in enumerate(terms):
            line = f"||{term.term}||"  # spoilers: the list itself may be offensive to read
            if len("\n".join([*lines, line])) > LIST_CHARS:
                lines.append(text(lang, "and-more", count=len(terms) - index))
                break
            lines.append(line)
        embed.description = "\n".join(lines) or text(lang, "blocklist-empty")
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Blocklist(bot))
