"""``/settings``: a server's admins choose models, the audit log, moderation and previews."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotAllowed, ValidationError
from bot.gptproto.registry import EDIT_MODELS, GENERATE_MODELS, MODELS
from bot.i18n import ENGLISH, CommaList, Msg, text
from bot.policy import ENVIRONMENT, Policy
from bot.render import BRAND
from bot.tree import is_admin, locale_of, server_locale_of

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

LOG_PERMISSIONS = {
    "view_channel": "perm-view-channel",
    "send_messages": "perm-send-messages",
    "embed_links": "perm-embed-links",
    "read_message_history": "perm-read-message-history",  # to check, after a restart, what was posted
}
PROBE_TIMEOUT = 15.0
MODERATION_CHOICES = [
    app_commands.Choice(name=app_commands.locale_str("auto (the provider's default)", id="choice-moderation-auto"),
                        value="auto"),
    app_commands.Choice(name=app_commands.locale_str("low (only in age-restricted channels)",
                                                     id="choice-moderation-low"), value="low"),
]
MODERATION_MODELS = tuple(m for m, spec in MODELS.items() if spec.moderation)


def require_admin(interaction: discord.Interaction) -> None:
    """Refuse a member without Manage Server, whatever the command's default permissions say."""
    # default_permissions is only a hint that a server can loosen: check when the command runs.
    if not is_admin(interaction):
        raise NotAllowed(msg_id="settings-not-allowed")


def parse_models(text: str) -> tuple[str, ...] | None:
    """``"all"`` → ``None``; ``"gpt-image-1, gpt-image-2"`` → both, checked; else a sentence."""
    value = text.strip()
    if value.lower() in ("all", "*", "any"):
        return None
    names = [n.strip() for n in value.replace(";", ",").split(",") if n.strip()]
    if not names:
        raise ValidationError(msg_id="settings-allowed-empty")
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise ValidationError(msg_id="settings-unknown-models", args={
            "count": len(unknown), "models": CommaList(tuple(f"`{n}`" for n in unknown)),
            "known": ", ".join(MODELS)})
    return tuple(m for m in MODELS if m in names)  # registry order, no duplicates


def describe(policy: Policy, lang: str = ENGLISH) -> list[tuple[str, str]]:
    """The ``/settings show`` fields: each value and where it comes from."""
    def src(source: str, variable: str) -> str:
        if source == ENVIRONMENT:
            return text(lang, "settings-source-environment", variable=variable)
        return text(lang, "settings-source-server")

    allowed = (text(lang, "settings-all-models") if policy.allowed_models is None
               else ", ".join(f"`{m}`" for m in policy.allowed_models))
    low = policy.moderation == "low"
    rows = [
        ("settings-default-model", f"`{policy.default_model}` {src(policy.default_model_source, 'DEFAULT_MODEL')}"),
        ("settings-default-edit-model", text(lang, "settings-default-edit-model-value", model=policy.default_edit_model,
                                             restricted=str(policy.allowed_models is not None).lower())),
        ("settings-allowed-models", text(lang, "settings-allowed-models-value", models=allowed,
                                         everything=str(policy.allowed_models is None).lower())),
        ("settings-moderation", f"`{policy.moderation}` {src(policy.moderation_source, '(auto)')}"
         + (text(lang, "settings-moderation-low-note", models=", ".join(MODERATION_MODELS)) if low else "")),
        ("settings-previews", (text(lang, "settings-previews-off") if not policy.preview_images
                               else text(lang, "settings-previews-on", count=policy.preview_images))
         + " " + src(policy.previews_source, "PREVIEW_IMAGES")),
    ]
    if policy.log_channel_id is None:
        rows.append(("settings-audit-log", text(lang, "settings-audit-log-off")))
    else:
        error = (policy.log_error or "").removeprefix("I could not post there: ")  # as stored by older versions
        health = text(lang, "settings-log-failed", error=error) if error else text(lang, "settings-log-works")
        rows.append(("settings-audit-log", text(lang, "settings-audit-log-on", channel=str(policy.log_channel_id),
                                                health=health)))
    rows.append(("settings-blocked-terms", text(lang, "settings-blocked-terms-value", count=len(policy.matcher.terms))))
    return [(text(lang, name), value) for name, value in rows]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Settings(commands.GroupCog, group_name="settings", group_description="(Admins) This server's image bot settings"):
    """Per-server settings."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction) -> None:
        """(Admins) Everything in force for this server, and where each value comes from."""
        require_admin(interaction)
        lang = locale_of(interaction)
        policy = await self.bot.policies.get(interaction.guild_id)
        embed = discord.Embed(title=text(lang, "settings-title"), colour=BRAND)
        for name, value in describe(policy, lang):
            embed.add_field(name=name, value=value[:1024], inline=False)
        env = self.bot.settings
        unlimited = text(lang, "unlimited")
        limits = text(lang, "settings-daily-limits-value",
                      member=unlimited if env.user_daily_images is None else str(env.user_daily_images),
                      server=unlimited if env.guild_daily_images is None else str(env.guild_daily_images),
                      jobs=env.max_jobs_per_user)
        embed.add_field(name=text(lang, "settings-daily-limits"), value=limits, inline=False)
        embed.set_footer(text=text(lang, "settings-footer"))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="models")
    async def models(self, interaction: discord.Interaction, default: str | None = None,
                     allowed: str | None = None) -> None:
        """(Admins) Choose the default /generate model and which models members may use.

        Parameters
        ----------
        default:
            The model /generate uses when a member picks none.
        allowed:
            Models members may use, separated by commas, or "all".
        """
        require_admin(interaction)
        lang = locale_of(interaction)
        if default is None and allowed is None:
            raise ValidationError(msg_id="settings-models-nothing")
        current = await self.bot.db.settings.get(interaction.guild_id)
        new_allowed = parse_models(allowed) if allowed is not None else current.allowed_models
        if default is not None:
            default = default.strip()
            if default not in GENERATE_MODELS:
                raise ValidationError(msg_id="settings-default-not-generate",
                                      args={"model": default, "models": ", ".join(GENERATE_MODELS)})
        effective_default = default or current.default_model or self.bot.settings.default_model
        if new_allowed is not None and effective_default not in new_allowed:
            raise ValidationError(msg_id="settings-default-not-allowed", args={"model": effective_default})
        changes: dict[str, object] = {}
        if default is not None:
            changes["default_model"] = default
        if allowed is not None:
            changes["allowed_models"] = new_allowed
        await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, **changes)
        self.bot.policies.forget(interaction.guild_id)
        policy = await self.bot.policies.get(interaction.guild_id)
        shown = (text(lang, "settings-every-model") if policy.allowed_models is None
                 else ", ".join(f"`{m}`" for m in policy.allowed_models))
        no_edit = policy.allowed_models is not None and not any(m in policy.allowed_models for m in EDIT_MODELS)
        reply = text(lang, "settings-models-done-no-edit" if no_edit else "settings-models-done",
                     model=policy.default_model, allowed=shown)
        log.info("settings of guild %s: models default=%s allowed=%s (by %s)", interaction.guild_id,
                 policy.default_model, policy.allowed_models, interaction.user.id)
        await interaction.response.send_message(reply, ephemeral=True)

    @models.autocomplete("default")
    async def default_autocomplete(self, interaction: discord.Interaction,
                                   current: str) -> list[app_commands.Choice[str]]:
        """The /generate models (autocomplete cannot be deferred: stay fast)."""
        suggestions = [(MODELS[m].label, m) for m in GENERATE_MODELS if current.strip().lower() in m]
        return [app_commands.Choice(name=label, value=value) for label, value in suggestions[:25]]

    @models.autocomplete("allowed")
    async def allowed_autocomplete(self, interaction: discord.Interaction,
                                   current: str) -> list[app_commands.Choice[str]]:
        """Offer "all", what is allowed now, and the typed list completed with each known model."""
        policy = await self.bot.policies.get(interaction.guild_id)
        options = ["all"]
        if policy.allowed_models is not None:
            options.append(",".join(policy.allowed_models))
        head, _, last = current.rpartition(",")
        prefix = f"{head}," if head else ""
        options += [prefix + m for m in MODELS if m.startswith(last.strip()) and m not in head.split(",")]
        return [app_commands.Choice(name=o[:100], value=o[:100]) for o in dict.fromkeys(options)][:25]

    @app_commands.command(name="log")
    async def log_channel(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None,
                          off: bool = False) -> None:
        """(Admins) Choose the channel where every finished image job is logged, or turn the log off.

        Parameters
        ----------
        channel:
            A text channel the bot can see and post in.
        off:
            True to stop logging.
        """
        require_admin(interaction)
        lang = locale_of(interaction)
        if off and channel is not None:
            raise ValidationError(msg_id="settings-log-both")
        if off:
            await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, log_channel_id=None)
            self.bot.policies.forget(interaction.guild_id)
            await interaction.response.send_message(text(lang, "settings-log-off-done"), ephemeral=True)
            return
        if channel is None:
            raise ValidationError(msg_id="settings-log-neither")
        # Discord drops the interaction after 3 s: answer first, the test post may take longer.
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._check_log_channel(interaction, channel.id, lang)
        await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, log_channel_id=channel.id)
        self.bot.policies.forget(interaction.guild_id)
        log.info("settings of guild %s: audit log in channel %s (by %s)", interaction.guild_id, channel.id,
                 interaction.user.id)
        await interaction.followup.send(text(lang, "settings-log-done", channel=str(channel.id)), ephemeral=True)

    async def _check_log_channel(self, interaction: discord.Interaction, channel_id: int, lang: str) -> None:
        """Refuse a channel the bot cannot see or post in; prove it by posting a first line there.

        The first line is in the server's language (``lang`` is the admin's, for their reply).
        """
        guild = interaction.guild
        target = guild.get_channel(channel_id) if guild else None
        me = guild.me if guild else None
        if target is None or me is None:
            raise ValidationError(msg_id="settings-log-unseen", args={"channel": str(channel_id)})
        perms = target.permissions_for(me)
        if not perms.view_channel:
            raise ValidationError(msg_id="settings-log-no-view", args={"channel": str(channel_id)})
        missing = [msg_id for name, msg_id in LOG_PERMISSIONS.items() if not getattr(perms, name)]
        if missing:
            raise ValidationError(msg_id="settings-log-missing-permissions", args={
                "channel": str(channel_id), "permissions": CommaList(tuple(Msg(m) for m in missing)),
                "count": len(missing)})
        server_lang = server_locale_of(interaction)
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                await target.send(text(server_lang, "settings-log-first-line", user=str(interaction.user.id)),
                                  allowed_mentions=discord.AllowedMentions.none())
        except (discord.HTTPException, OSError, TimeoutError) as error:
            log.info("settings of guild %s: log channel %s refused (%s)", interaction.guild_id, channel_id, error)
            raise ValidationError(msg_id="settings-log-post-failed", args={
                "channel": str(channel_id), "error": str(getattr(error, "text", None) or error)}) from error

    @app_commands.command(name="moderation")
    @app_commands.choices(level=MODERATION_CHOICES)
    async def moderation(self, interaction: discord.Interaction, level: app_commands.Choice[str]) -> None:
        """(Admins) The provider's moderation level: low applies only in age-restricted channels.

        Parameters
        ----------
        level:
            auto everywhere, or low in age-restricted (NSFW) channels and auto elsewhere.
        """
        require_admin(interaction)
        await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, moderation=level.value)
        self.bot.policies.forget(interaction.guild_id)
        lang = locale_of(interaction)
        if level.value == "low":
            reply = text(lang, "settings-moderation-low-done", models=", ".join(MODERATION_MODELS))
        else:
            reply = text(lang, "settings-moderation-auto-done")
        await interaction.response.send_message(reply, ephemeral=True)

    @app_commands.command(name="previews")
    async def previews(self, interaction: discord.Interaction, on: bool) -> None:
        """(Admins) Turn live previews on or off for this server.

        Parameters
        ----------
        on:
            True shows partial images while a picture is drawn (each costs extra tokens).
        """
        require_admin(interaction)
        await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, previews=on)
        self.bot.policies.forget(interaction.guild_id)
        policy = await self.bot.policies.get(interaction.guild_id)
        lang = locale_of(interaction)
        reply = (text(lang, "settings-previews-on-done", count=policy.preview_images) if on
                 else text(lang, "settings-previews-off-done"))
        await interaction.response.send_message(reply, ephemeral=True)


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Settings(bot))

