"""``/generate``: text to image."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.gptproto.registry import JobKind, size_suggestions, validate_generate
from bot.policy import model_suggestions
from bot.translator import choices
from bot.tree import locale_of

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

QUALITY_CHOICES = choices("quality", ("auto", "low", "medium", "high"))
BACKGROUND_CHOICES = choices("background", ("auto", "opaque", "transparent"))
FORMAT_CHOICES = choices("format", ("auto", "png", "jpeg", "webp"))


def _value(choice: app_commands.Choice[str] | None) -> str | None:
    return choice.value if choice is not None else None


class Generate(commands.Cog):
    """Text-to-image generation."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot

    @app_commands.command(name="generate")
    @app_commands.choices(quality=QUALITY_CHOICES,
                          background=BACKGROUND_CHOICES, output_format=FORMAT_CHOICES)
    async def generate(
        self,
        interaction: discord.Interaction,
        prompt: app_commands.Range[str, 1, 6000],
        model: str | None = None,
        size: str | None = None,
        quality: app_commands.Choice[str] | None = None,
        n: app_commands.Range[int, 1, 10] | None = None,
        background: app_commands.Choice[str] | None = None,
        output_format: app_commands.Choice[str] | None = None,
    ) -> None:
        """Make an image from a description.

        Parameters
        ----------
        prompt:
            What the image should show, in as much detail as you like.
        model:
            Which model draws it (the server's default if you leave it out).
        size:
            Pixel size or aspect ratio; the choices depend on the model.
        quality:
            Higher quality takes longer.
        n:
            How many images to make (each counts against your daily quota).
        background:
            Transparent backgrounds need PNG or WebP output.
        output_format:
            The file type of the result.
        """
        # Validation first: bad input is refused privately and costs nothing.
        policy = await self.bot.policies.get(interaction.guild_id)  # the server's default model
        options = validate_generate(
            model=model, prompt=prompt, size=size, quality=_value(quality), n=n,
            background=_value(background), output_format=_value(output_format),
            default_model=policy.default_model,
        )
        await self.bot.jobs.submit(interaction, kind=JobKind.GENERATE, options=options)

    @generate.autocomplete("model")
    async def model_autocomplete(self, interaction: discord.Interaction,
                                 current: str) -> list[app_commands.Choice[str]]:
        """Offer only the models this server allows (its policy is cached: this stays fast)."""
        policy = await self.bot.policies.get(interaction.guild_id)
        return [app_commands.Choice(name=label, value=value)
                for label, value in model_suggestions(policy, JobKind.GENERATE, current, locale_of(interaction))]

    @generate.autocomplete("size")
    async def size_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Offer the sizes the chosen model supports (autocomplete cannot be deferred: stay fast)."""
        model = getattr(interaction.namespace, "model", None)
        policy = await self.bot.policies.get(interaction.guild_id)
        suggestions = size_suggestions(model, current, default_model=policy.default_model,
                                       lang=locale_of(interaction))
        return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in suggestions]


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Generate(bot))
