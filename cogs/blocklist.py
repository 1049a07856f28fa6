"""``/blocklist``: words and phrases a server refuses in prompts, before any call and at no cost."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.blocklist import MAX_TERMS, check_term
from bot.render import BRAND
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
        text = check_term(term)
        added = await self.bot.db.settings.add_term(interaction.guild_id, text, by=interaction.user.id)
        self.bot.policies.forget(interaction.guild_id)
        count = len(await self.bot.db.settings.terms(interaction.guild_id))
        if added:
            log.info("blocklist of guild %s: term added by %s (%d terms)", interaction.guild_id,
                     interaction.user.id, count)
            reply = (f"Blocked: prompts containing `{text}` (also spaced out, punctuated or in other "
                     f"widths) are refused before anything is spent. {count} of at most {MAX_TERMS} terms here.")
        else:
            reply = f"`{text}` was already blocked here (or a term with the same letters). Nothing changed."
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
        text = check_term(term)
        removed = await self.bot.db.settings.remove_term(interaction.guild_id, text)
        self.bot.policies.forget(interaction.guild_id)
        if removed:
            log.info("blocklist of guild %s: term removed by %s", interaction.guild_id, interaction.user.id)
        reply = f"`{text}` is no longer blocked." if removed else f"`{text}` was not blocked here. Nothing changed."
        await interaction.response.send_message(reply, ephemeral=True)

    @remove.autocomplete("term")
    async def term_autocomplete(self, interaction: discord.Interaction,
                                current: str) -> list[app_commands.Choice[str]]:
        """The blocked terms that start with what was typed (admins only)."""
        if not (interaction.permissions.manage_guild or interaction.permissions.administrator):
            return []
        policy = await self.bot.policies.get(interaction.guild_id)
        typed = current.strip().lower()
        return [app_commands.Choice(name=t[:100], value=t[:100]) for t in policy.matcher.terms
                if t.lower().startswith(typed)][:25]

    @app_commands.command(name="list")
    async def list_terms(self, interaction: discord.Interaction) -> None:
        """(Admins) The words and phrases refused in prompts here."""
        require_admin(interaction)
        terms = await self.bot.db.settings.terms(interaction.guild_id)
        embed = discord.Embed(title=f"Blocked terms in this server: {len(terms)} of at most {MAX_TERMS}",
                              colour=BRAND)
        lines: list[str] = []
        for index, term in enumerate(terms):
            line = f"||{term.term}||"  # spoilers: the list itself may be offensive to read
            if len("\n".join([*lines, line])) > LIST_CHARS:
                lines.append(f"…and {len(terms) - index} more")
                break
            lines.append(line)
        embed.description = "\n".join(lines) or "None yet: add one with `/blocklist add`."
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Blocklist(bot))
