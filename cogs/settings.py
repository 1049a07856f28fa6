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
from bot.policy import ENVIRONMENT, Policy
from bot.render import BRAND
from bot.tree import is_admin

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

LOG_PERMISSIONS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",  # to check, after a restart, what was posted
}
PROBE_TIMEOUT = 15.0
MODERATION_CHOICES = [app_commands.Choice(name="auto (the provider's default)", value="auto"),
                      app_commands.Choice(name="low (only in age-restricted channels)", value="low")]
MODERATION_MODELS = tuple(m for m, spec in MODELS.items() if spec.moderation)


def require_admin(interaction: discord.Interaction) -> None:
    """Refuse a member without Manage Server, whatever the command's default permissions say."""
    # default_permissions is only a hint that a server can loosen: check when the command runs.
    if not is_admin(interaction):
        raise NotAllowed("Only server admins (Manage Server) can change or see this server's settings.")


def parse_models(text: str) -> tuple[str, ...] | None:
    """``"all"`` → ``None``; ``"gpt-image-1, gpt-image-2"`` → both, checked; else a sentence."""
    value = text.strip()
    if value.lower() in ("all", "*", "any"):
        return None
    names = [n.strip() for n in value.replace(";", ",").split(",") if n.strip()]
    if not names:
        raise ValidationError("`allowed` is empty: list models separated by commas, or write `all`.")
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise ValidationError(
            f"I don't know the model{'s' if len(unknown) > 1 else ''} {', '.join(f'`{n}`' for n in unknown)}; "
            f"nothing was changed. Known models: {', '.join(MODELS)}.")
    return tuple(m for m in MODELS if m in names)  # registry order, no duplicates


def describe(policy: Policy) -> list[tuple[str, str]]:
    """The ``/settings show`` fields: each value and where it comes from."""
    def src(source: str, variable: str) -> str:
        return f"*{source}{f' `{variable}`' if source == ENVIRONMENT else ''}*"

    allowed = "all models" if policy.allowed_models is None else ", ".join(f"`{m}`" for m in policy.allowed_models)
    rows = [
        ("Default /generate model", f"`{policy.default_model}` {src(policy.default_model_source, 'DEFAULT_MODEL')}"),
        ("Default /edit model", f"`{policy.default_edit_model}` *{'environment default `DEFAULT_EDIT_MODEL`'}*"
         + (" (first allowed edit model)" if policy.allowed_models is not None else "")),
        ("Allowed models", f"{allowed} "
         + ("*environment default (every model)*" if policy.allowed_models is None else "*server setting*")),
        ("Moderation", f"`{policy.moderation}` {src(policy.moderation_source, '(auto)')}"
         + (f"; `low` is sent only in age-restricted channels, to {', '.join(MODERATION_MODELS)}"
            if policy.moderation == "low" else "")),
        ("Live previews", ("off" if not policy.preview_images else f"on, {policy.preview_images} per image "
                           "(each costs 100 output tokens)") + " " + src(policy.previews_source, "PREVIEW_IMAGES")),
    ]
    if policy.log_channel_id is None:
        rows.append(("Audit log", "off *(set one with `/settings log`)*"))
    else:
        health = policy.log_error or "posting works"
        rows.append(("Audit log", f"<#{policy.log_channel_id}> *server setting*\n{health}"))
    terms = len(policy.matcher.terms)
    rows.append(("Blocked terms", f"{terms} (see `/blocklist list`)"))
    return rows


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
        policy = await self.bot.policies.get(interaction.guild_id)
        embed = discord.Embed(title="Image bot settings in this server", colour=BRAND)
        for name, value in describe(policy):
            embed.add_field(name=name, value=value[:1024], inline=False)
        env = self.bot.settings
        limits = (f"{env.user_daily_images if env.user_daily_images is not None else 'unlimited'} images per member, "
                  f"{env.guild_daily_images if env.guild_daily_images is not None else 'unlimited'} per server, "
                  f"{env.max_jobs_per_user} jobs at once per member *environment defaults; `/quota` for overrides*")
        embed.add_field(name="Daily limits", value=limits, inline=False)
        embed.set_footer(text="Who may use which command: Server Settings › Integrations.")
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
        if default is None and allowed is None:
            raise ValidationError("Give `default`, `allowed`, or both; nothing was changed.")
        current = await self.bot.db.settings.get(interaction.guild_id)
        new_allowed = parse_models(allowed) if allowed is not None else current.allowed_models
        if default is not None:
            default = default.strip()
            if default not in GENERATE_MODELS:
                raise ValidationError(f"`{default}` is not a /generate model; choose one of: "
                                      f"{', '.join(GENERATE_MODELS)}. Nothing was changed.")
        effective_default = default or current.default_model or self.bot.settings.default_model
        if new_allowed is not None and effective_default not in new_allowed:
            raise ValidationError(
                f"The default model `{effective_default}` would not be allowed; add it to `allowed` or give a "
                "`default` from the list. Nothing was changed.")
        changes: dict[str, object] = {}
        if default is not None:
            changes["default_model"] = default
        if allowed is not None:
            changes["allowed_models"] = new_allowed
        await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, **changes)
        self.bot.policies.forget(interaction.guild_id)
        policy = await self.bot.policies.get(interaction.guild_id)
        shown = "every model" if policy.allowed_models is None else ", ".join(f"`{m}`" for m in policy.allowed_models)
        text = f"Done. Default model: `{policy.default_model}`. Allowed: {shown}."
        if policy.allowed_models is not None and not any(m in policy.allowed_models for m in EDIT_MODELS):
            text += " No edit model is allowed, so /edit and the Edit buttons are off here."
        log.info("settings of guild %s: models default=%s allowed=%s (by %s)", interaction.guild_id,
                 policy.default_model, policy.allowed_models, interaction.user.id)
        await interaction.response.send_message(text, ephemeral=True)

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
        if off and channel is not None:
            raise ValidationError("Give either `channel` or `off`, not both; nothing was changed.")
        if off:
            await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, log_channel_id=None)
            self.bot.policies.forget(interaction.guild_id)
            await interaction.response.send_message("The audit log is off.", ephemeral=True)
            return
        if channel is None:
            raise ValidationError("Give a `channel` for the audit log, or `off:True`; nothing was changed.")
        # Discord drops the interaction after 3 s: answer first, the test post may take longer.
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._check_log_channel(interaction, channel.id)
        await self.bot.db.settings.update(interaction.guild_id, by=interaction.user.id, log_channel_id=channel.id)
        self.bot.policies.forget(interaction.guild_id)
        log.info("settings of guild %s: audit log in channel %s (by %s)", interaction.guild_id, channel.id,
                 interaction.user.id)
        await interaction.followup.send(f"Done: every finished image job will be logged in <#{channel.id}>.",
                                        ephemeral=True)

    async def _check_log_channel(self, interaction: discord.Interaction, channel_id: int) -> None:
        """Refuse a channel the bot cannot see or post in; prove it by posting a first line there."""
        guild = interaction.guild
        target = guild.get_channel(channel_id) if guild else None
        me = guild.me if guild else None
        if target is None or me is None:
            raise ValidationError(f"I can't see <#{channel_id}>, so I can't log there; nothing was changed.")
        perms = target.permissions_for(me)
        if not perms.view_channel:
            raise ValidationError(f"I can't see <#{channel_id}> (I lack View Channel there); nothing was changed.")
        missing = [label for name, label in LOG_PERMISSIONS.items() if not getattr(perms, name)]
        if missing:
            raise ValidationError(f"I can't log in <#{channel_id}>: I need the {', '.join(missing)} permission"
                                  f"{'s' if len(missing) > 1 else ''} there. Nothing was changed.")
        try:
            async with asyncio.timeout(PROBE_TIMEOUT):
                await target.send(f"Image jobs of this server will be logged here (set by <@{interaction.user.id}>).",
                                  allowed_mentions=discord.AllowedMentions.none())
        except (discord.HTTPException, OSError, TimeoutError) as error:
            log.info("settings of guild %s: log channel %s refused (%s)", interaction.guild_id, channel_id, error)
            raise ValidationError(f"I could not post in <#{channel_id}> ({getattr(error, 'text', None) or error}); "
                                  "nothing was changed.") from error

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
        if level.value == "low":
            text = ("Done: moderation is `low` in age-restricted channels (for "
                    f"{', '.join(MODERATION_MODELS)}) and `auto` everywhere else.")
        else:
            text = "Done: moderation is `auto` everywhere."
        await interaction.response.send_message(text, ephemeral=True)

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
        text = (f"Done: live previews are on ({policy.preview_images} per image, each costs 100 output tokens)."
                if on else "Done: live previews are off in this server.")
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Settings(bot))

