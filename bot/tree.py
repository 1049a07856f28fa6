"""The one error path: what a member reads and what the admin's log gets for any error.

``explain`` is the policy (the member's sentence, the admin's detail, the log level), used by
the command tree's ``on_error``, the result buttons, both modals and the job runner alike.
``report`` applies it to an interaction: it logs one line and answers the member privately, in
their language (``locale_of``: the member's Discord locale, else the server's, else English).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord
from discord import app_commands

from bot.errors import BotError, ShuttingDown
from bot.i18n import ENGLISH, Msg, language, text
from bot.logs import bind_log_fields

log = logging.getLogger(__name__)

GENERIC_FAILURE_MSG = Msg("generic-failure")
GENERIC_FAILURE = text(ENGLISH, GENERIC_FAILURE_MSG.id)
"""The sentence of an unexpected error, in English."""


@dataclass(frozen=True)
class Explained:
    """An error as the member and the admin see it."""

    sentence: str
    """What the member reads, in the language asked of ``explain``."""
    msg: Msg
    """The same sentence, to render in another language (the audit log's)."""
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


def locale_of(interaction: discord.Interaction) -> str:
    """The catalogue to answer ``interaction`` in: the member's locale, the server's, or English."""
    return language(getattr(interaction, "locale", None), getattr(interaction, "guild_locale", None))


def server_locale_of(interaction: discord.Interaction) -> str:
    """The catalogue of the interaction's server (for what its channels read: the audit log)."""
    return language(getattr(interaction, "guild_locale", None))


def explain(error: BaseException, lang: str = ENGLISH) -> Explained:
    """The member's sentence (in ``lang``), the admin's detail and the log level for ``error``.

    The admin's detail is always English: ``admin_detail``, or the English sentence.
    """
    error = unwrap(error)
    if isinstance(error, BotError):
        msg = error.as_msg() or Msg("plain-text", {"text": str(error)})
        return Explained(error.render(lang), msg, error.admin_detail or str(error), error.log_level,
                         unexpected=False)
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        msg = Msg("no-permission")
    elif isinstance(error, app_commands.CommandOnCooldown):
        msg = Msg("cooldown", {"seconds": round(error.retry_after)})
    elif isinstance(error, app_commands.NoPrivateMessage):
        msg = Msg("server-only")
    else:
        return Explained(GENERIC_FAILURE_MSG.render(lang), GENERIC_FAILURE_MSG, f"{type(error).__name__}: {error}",
                         logging.ERROR, unexpected=True)
    return Explained(msg.render(lang), msg, type(error).__name__, logging.INFO, unexpected=False)


def log_error(what: str, user_id: int, error: BaseException, lang: str = ENGLISH) -> Explained:
    """Log ``error`` for the admin by the one policy; ``what`` names where it happened."""
    explained = explain(error, lang)
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
    """Log ``error`` and answer the member with its sentence, in their language: every
    interaction's error path."""
    explained = log_error(what, interaction.user.id, error, locale_of(interaction))
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
                await reply_error(interaction, ShuttingDown().render(locale_of(interaction)))
            return False
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Answer the member with one sentence; log unknown errors with their traceback."""
        command = interaction.command.qualified_name if interaction.command else "?"
        await report(interaction, error, what=f"/{command}")
