"""``/edit`` and the "Edit image" message menu: change existing images with a prompt."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import ValidationError
from bot.gptproto.registry import MAX_INPUT_IMAGES, JobKind, size_suggestions, validate_edit
from bot.i18n import ENGLISH, text
from bot.images import Source, check_metadata, check_sources, looks_like_image
from bot.policy import model_suggestions
from bot.translator import choices
from bot.tree import locale_of, report
from cogs.results import modal_value, prompt_input

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

EDIT_QUALITY_CHOICES = choices("quality", ("low", "medium", "high"))


async def start_edit(
    bot: ImageBot,
    interaction: discord.Interaction,
    *,
    prompt: str,
    images: Sequence[Source],
    mask: Source | None = None,
    model: str | None = None,
    size: str | None = None,
    quality: str | None = None,
) -> None:
    """Validate, check the attachments, answer Discord, then hand the job to the runner."""
    policy = await bot.policies.get(interaction.guild_id)  # the server's default edit model
    options = validate_edit(
        model=model, prompt=prompt, images=[s.url for s in images],
        mask=mask.url if mask else None, size=size, quality=quality,
        default_model=policy.default_edit_model,
    )
    check_metadata(images, mask)  # cheap checks before answering, so refusals stay private and instant
    # submit records the request, answers Discord, then reserves the quota; only then are the
    # attachments downloaded and inspected (before_start), which may take longer than Discord's 3 s.
    await bot.jobs.submit(interaction, kind=JobKind.EDIT, options=options,
                          before_start=lambda: check_sources(images, mask))


MENU_MODAL_PREFIX = "img-menu-edit:"


class MenuEditModal(discord.ui.Modal):
    """The prompt for the "Edit image" message menu.

    Its submission is answered by ``Edit.on_interaction``, from the message ids in its
    ``custom_id``, so a form submitted after a restart still works.
    """

    def __init__(self, message: discord.Message, lang: str = ENGLISH) -> None:
        super().__init__(title=text(lang, "form-edit-menu-title"),
                         custom_id=f"{MENU_MODAL_PREFIX}{message.channel.id}:{message.id}", timeout=15 * 60)
        self.add_item(prompt_input(text(lang, "form-edit-menu-placeholder"), lang))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Nothing here: ``Edit.on_interaction`` answers, in this process or the next."""


class Edit(commands.Cog):
    """Image editing."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name="Edit image", callback=self.edit_from_message)
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        """Remove the message menu with the cog."""
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name="edit")
    @app_commands.choices(quality=EDIT_QUALITY_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction,
        prompt: app_commands.Range[str, 1, 6000],
        image: discord.Attachment,
        image2: discord.Attachment | None = None,
        image3: discord.Attachment | None = None,
        mask: discord.Attachment | None = None,
        model: str | None = None,
        size: str | None = None,
        quality: app_commands.Choice[str] | None = None,
    ) -> None:
        """Change an image with a description of what to do.

        Parameters
        ----------
        prompt:
            What to change, for example "make it snow".
        image:
            The image to edit (PNG, JPEG or WebP, under 50 MB).
        image2:
            Another reference image.
        image3:
            Another reference image.
        mask:
            A PNG the size of the first image; its transparent pixels mark where to edit.
        model:
            Which editing model to use.
        size:
            Size of the result.
        quality:
            Higher quality takes longer.
        """
        sources = [Source.of(a) for a in (image, image2, image3) if a is not None]
        await start_edit(
            self.bot, interaction, prompt=prompt, images=sources,
            mask=Source.of(mask) if mask else None,
            model=model, size=size,
            quality=quality.value if quality else None,
        )

    @edit.autocomplete("model")
    async def model_autocomplete(self, interaction: discord.Interaction,
                                 current: str) -> list[app_commands.Choice[str]]:
        """Offer only the editing models this server allows."""
        policy = await self.bot.policies.get(interaction.guild_id)
        return [app_commands.Choice(name=label, value=value)
                for label, value in model_suggestions(policy, JobKind.EDIT, current, locale_of(interaction))]

    @edit.autocomplete("size")
    async def size_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Offer the sizes the chosen editing model supports."""
        model = getattr(interaction.namespace, "model", None)
        policy = await self.bot.policies.get(interaction.guild_id)
        suggestions = size_suggestions(model, current, default_model=policy.default_edit_model,
                                       lang=locale_of(interaction))
        return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in suggestions]

    async def edit_from_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The "Edit image" menu: ask for a prompt, then edit the message's images."""
        sources = [Source.of(a) for a in message.attachments if looks_like_image(a)]
        if not sources:
            raise ValidationError(msg_id="menu-no-images")
        await interaction.response.send_modal(MenuEditModal(message, locale_of(interaction)))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer the "Edit image" form: read the message again, then edit its images."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if not custom_id.startswith(MENU_MODAL_PREFIX):
            return
        try:
            channel_id, message_id = (int(x) for x in custom_id.removeprefix(MENU_MODAL_PREFIX).split(":"))
            sources = await self._message_images(channel_id, message_id)
            await start_edit(self.bot, interaction, prompt=modal_value(interaction.data, "prompt") or "",
                             images=sources)
        except Exception as error:
            await report(interaction, error, what="the Edit image form")

    async def _message_images(self, channel_id: int, message_id: int) -> list[Source]:
        channel = self.bot.get_partial_messageable(channel_id)
        try:
            message = await channel.fetch_message(message_id)
        except discord.HTTPException as error:
            raise ValidationError(msg_id="menu-message-gone") from error
        sources = [Source.of(a) for a in message.attachments if looks_like_image(a)]
        if not sources:
            raise ValidationError(msg_id="edit-no-images-left")
        return sources[:MAX_INPUT_IMAGES]


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Edit(bot))
