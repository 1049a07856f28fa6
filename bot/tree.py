"""The command tree whose ``on_error`` turns every known error into one sentence for the member."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.errors import BotError, ShuttingDown
from bot.logs import bind_log_fields

log = logging.getLogger(__name__)

GENERIC_FAILURE = (
    "Something went wrong on my side; the admin's log has the details. You were not charged."
)


def unwrap(error: BaseException) -> BaseException:
    """The error a command raised, without discord.py's ``CommandInvokeError`` wrapper."""
    while isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, app_commands.TransformerError) and error.__cause__ is not None:
        error = error.__cause__
    return error


def sentence_for(error: BaseException) -> str:
    """The sentence a member reads for ``error``."""
    if isinstance(error, BotError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        return "You don't have permission to do that here."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    return GENERIC_FAILURE


async def reply_error(interaction: discord.Interaction, text: str) -> None:
    """Tell the member ``text`` privately, whether or not the interaction was answered yet."""
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True)
            return
        if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            # A public "thinking…" is showing: remove it so the refusal stays private.
            try:
                await interaction.delete_original_response()
            except discord.HTTPException:
                pass
        await interaction.followup.send(text, ephemeral=True)
    except discord.HTTPException as send_error:
        log.warning("Could not tell %s about an error: %s", interaction.user.id, send_error)


class ImageCommandTree(app_commands.CommandTree):
    """A ``CommandTree`` with one place that answers errors."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Tag the command's log lines with its server and member; refuse commands while stopping.

        A refused command gets one private sentence, not Discord's "This interaction failed".
        """
        bind_log_fields(guild_id=interaction.guild_id, user_id=interaction.user.id)
        if getattr(self.client, "stopping", False):
            if interaction.type is discord.InteractionType.application_command:
                log.info("command refused for user %s: the bot is stopping", interaction.user.id)
                await reply_error(interaction, str(ShuttingDown()))
            return False
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Answer the member with one sentence; log unknown errors with their traceback."""
        original = unwrap(error)
        command = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(original, BotError):
            log.info("/%s refused for user %s: %s%s", command, interaction.user.id, original,
                     f" ({original.admin_detail})" if original.admin_detail else "")
        elif isinstance(original, app_commands.AppCommandError):
            log.info("/%s refused for user %s: %s", command, interaction.user.id, type(original).__name__)
        else:
            log.error("/%s failed for user %s", command, interaction.user.id, exc_info=original)
        await reply_error(interaction, sentence_for(original))
