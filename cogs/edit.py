"""``/edit`` and the "Edit image" message menu: change existing images with a prompt."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import images as imaging
from bot.errors import AttachmentError, BotError
from bot.gptproto.registry import MAX_INPUT_IMAGES, JobKind, size_suggestions, validate_edit
from bot.policy import model_suggestions
from bot.render import modal_value
from bot.tree import reply_error, sentence_for

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

EDIT_QUALITY_CHOICES = [app_commands.Choice(name=q, value=q) for q in ("low", "medium", "high")]
DOWNLOAD_TIMEOUT = 60.0


@dataclass(frozen=True)
class Source:
    """An image to edit, as Discord describes it (an ``Attachment`` or the same fields)."""

    name: str
    url: str
    size: int
    content_type: str | None
    attachment: discord.Attachment | None = None

    @classmethod
    def of(cls, attachment: discord.Attachment) -> Source:
        """Describe a Discord attachment."""
        return cls(attachment.filename, attachment.url, attachment.size, attachment.content_type, attachment)


IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")


def looks_like_image(attachment: discord.Attachment) -> bool:
    """An attachment Discord calls an image (videos have a width too, so that is no sign)."""
    if attachment.content_type:
        return attachment.content_type.startswith("image/")
    return attachment.filename.lower().endswith(IMAGE_EXTENSIONS)


def check_metadata(images: Sequence[Source], mask: Source | None) -> None:
    """Refuse from Discord's metadata alone (size, type), before answering or downloading anything."""
    for source in images:
        imaging.check_attachment_meta(name=source.name, size=source.size, content_type=source.content_type)
    if mask is not None:
        imaging.check_attachment_meta(name=mask.name, size=mask.size, content_type=mask.content_type,
                                      max_bytes=imaging.MAX_MASK_BYTES, kind="masks")


async def check_sources(images: Sequence[Source], mask: Source | None) -> None:
    """Check every attachment by its bytes before anything is spent; the first refusal raises.

    Each image is downloaded once and inspected off the event loop; the mask is checked against
    the first image.
    """
    first: imaging.ImageInfo | None = None
    for source in images:
        info = await imaging.inspect_attachment(await _download(source), name=source.name)
        first = first or info
    if mask is not None and first is not None:
        await imaging.inspect_mask(await _download(mask), name=mask.name, image=first)


async def _download(source: Source) -> bytes:
    if source.attachment is None:
        raise AttachmentError(f"`{source.name}` could not be read.")
    try:
        async with asyncio.timeout(DOWNLOAD_TIMEOUT):
            return await source.attachment.read()
    except discord.HTTPException as error:
        raise AttachmentError(
            f"`{source.name}` could not be downloaded from Discord ({error.status}); attach it again."
        ) from error
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise AttachmentError(
            f"`{source.name}` could not be downloaded from Discord in time; try again in a moment."
        ) from error


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
    if bot.jobs is None:
        raise RuntimeError("the job runner is not started")
    # The quota is checked first (instant), then Discord is answered, then the attachments are
    # downloaded and inspected, which may take longer than Discord's 3 s.
    await bot.jobs.submit(interaction, kind=JobKind.EDIT, options=options,
                          before_start=lambda: check_sources(images, mask))


MENU_MODAL_PREFIX = "img-menu-edit:"


class MenuEditModal(discord.ui.Modal, title="Edit image"):
    """The prompt for the "Edit image" message menu.

    Its submission is answered by ``Edit.on_interaction``, from the message ids in its
    ``custom_id``, so a form submitted after a restart still works.
    """

    prompt: discord.ui.TextInput = discord.ui.TextInput(
        label="What should change?", style=discord.TextStyle.paragraph, custom_id="prompt",
        placeholder="turn the sky purple, add a lighthouse…", max_length=4000,
    )

    def __init__(self, message: discord.Message) -> None:
        super().__init__(custom_id=f"{MENU_MODAL_PREFIX}{message.channel.id}:{message.id}", timeout=15 * 60)

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
                for label, value in model_suggestions(policy, JobKind.EDIT, current)]

    @edit.autocomplete("size")
    async def size_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Offer the sizes the chosen editing model supports."""
        model = getattr(interaction.namespace, "model", None)
        policy = await self.bot.policies.get(interaction.guild_id)
        suggestions = size_suggestions(model, current, default_model=policy.default_edit_model)
        return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in suggestions]

    async def edit_from_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The "Edit image" menu: ask for a prompt, then edit the message's images."""
        sources = [Source.of(a) for a in message.attachments if looks_like_image(a)]
        if not sources:
            raise BotError("That message has no images to edit; pick a message with an image attached.")
        await interaction.response.send_modal(MenuEditModal(message))

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
        except BotError as error:
            log.info("edit from the message menu refused for %s: %s", interaction.user.id, error)
            await reply_error(interaction, str(error))
        except Exception as error:
            log.exception("edit from the message menu failed")
            await reply_error(interaction, sentence_for(error))

    async def _message_images(self, channel_id: int, message_id: int) -> list[Source]:
        channel = self.bot.get_partial_messageable(channel_id)
        try:
            message = await channel.fetch_message(message_id)
        except discord.HTTPException as error:
            raise BotError("I can't read that message any more (it may have been deleted); "
                           "try the menu on it again.") from error
        sources = [Source.of(a) for a in message.attachments if looks_like_image(a)]
        if not sources:
            raise BotError("That message has no images left to edit.")
        return sources[:MAX_INPUT_IMAGES]


async def setup(bot: ImageBot) -> None:
    """Load the cog."""
    await bot.add_cog(Edit(bot))
