"""The one error path: what a member reads and what the admin's log gets for any error.

``explain`` is the policy (the member's sentence, the admin's detail, the log level), used by
the command tree's ``on_error``, the result buttons, both modals and the job runner alike.
``report`` applies it to an interaction: it logs one line and answers the member privately.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord
from discord import app_commands

from bot.errors import BotError, ShuttingDown
from bot.logs import bind_log_fields

log = logging.getLogger(__name__)

GENERIC_FAILURE = (
    "Something went wrong on my side; the admin's log has the details. You were not charged."
)


@dataclass(frozen=True)
class Explained:
    """An error as the member and the admin see it."""

    sentence: str
    """What the member reads."""
    detail: str
    """What the admin's log says (never a secret: the logging filter is the second defence)."""
    level: int
    """How loudly to log it (see ``BotError.log_level``)."""
    unexpected: bool
    """A bug rather than a known failure: log it with its traceback."""


def unwrap(error: BaseException) -> BaseException:
    """The error a command raised, without discord.py's ``CommandInvokeError`` wrapper."""
    while isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, app_commands.TransformerError) and error.__cause__ is not None:
        error = error.__cause__
    return error


def explain(error: BaseException) -> Explained:
    """The member's sentence, the admin's detail and the log level for ``error``."""
    error = unwrap(error)
    if isinstance(error, BotError):
        return Explained(str(error), error.admin_detail or str(error), error.log_level, unexpected=False)
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        sentence = "You don't have permission to do that here."
    elif isinstance(error, app_commands.CommandOnCooldown):
        sentence = f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    elif isinstance(error, app_commands.NoPrivateMessage):
        sentence = "That command only works in a server."
    else:
        return Explained(GENERIC_FAILURE, f"{type(error).__name__}: {error}", logging.ERROR, unexpected=True)
    return Explained(sentence, type(error).__name__, logging.INFO, unexpected=False)


def log_error(what: str, user_id: int, error: BaseException) -> Explained:
    """Log ``error`` for the admin by the one policy; ``what`` names where it happened."""
    explained = explain(error)
    if explained.unexpected:
        log.error("%s failed for user %s", what, user_id, exc_info=unwrap(error))
    else:
        log.log(explained.level, "%s refused for user %s: %s", what, user_id, explained.detail)
    return explained


def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server (or Administrator) in this server, checked now: Discord's
    ``default_permissions`` are only a hint that a server's admins can loosen."""
    perms = getattr(interaction, "permissions", None)
    return bool(perms and (perms.manage_guild or perms.administrator))


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


async def report(interaction: discord.Interaction, error: BaseException, *, what: str) -> None:
    """Log ``error`` and answer the member with its sentence: every interaction's error path."""
    explained = log_error(what, interaction.user.id, error)
    await reply_error(interaction, explained.sentence)


class ImageCommandTree(app_commands.CommandTree):
    """A ``CommandTree`` whose errors all go through :func:`report`."""

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
        command = interaction.command.qualified_name if interaction.command else "?"
        await report(interaction, error, what=f"/{command}")
