"""What members see: embeds for progress, results and failures, and the result buttons.

The buttons are ``DynamicItem``s whose ``custom_id`` carries the job id, so a message posted
before a restart still works after it: the rest of their state comes from the database.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.errors import BotError, NotAllowed
from bot.gptproto.errors import shorten
from bot.gptproto.registry import ImageOptions
from bot.pricing import format_usd
from bot.tree import reply_error, sentence_for

if TYPE_CHECKING:
    from bot.app import ImageBot
    from bot.images import FittedImage

log = logging.getLogger(__name__)

BRAND = discord.Colour.from_rgb(88, 101, 242)
SUCCESS = discord.Colour.from_rgb(67, 181, 129)
FAILURE = discord.Colour.from_rgb(237, 66, 69)
PROMPT_IN_EMBED = 1000


def quote_prompt(prompt: str, limit: int = PROMPT_IN_EMBED) -> str:
    """The prompt for an embed: shortened when long, and unable to break out of its quote."""
    text = shorten(prompt, limit).replace("`", "ʼ")
    return f"> {text}"


def option_summary(options: ImageOptions, *, size: str | None = None) -> str:
    """``gpt-image-1 · 1024×1024 · high`` for a request (``size`` overrides the asked size)."""
    parts = [options.model, (size or options.size or "auto").replace("x", "×")]
    if options.quality:
        parts.append(options.quality)
    if options.n > 1:
        parts.append(f"{options.n} images")
    return " · ".join(parts)


def progress_embed(
    options: ImageOptions, *, phase: str, elapsed: float, position: int | None = None,
    preview: str | None = None,
) -> discord.Embed:
    """The embed of a job still in progress."""
    if position is not None:
        title = f"Waiting in the queue: position {position}"
    else:
        title = phase
    embed = discord.Embed(title=title, description=quote_prompt(options.prompt, 300), colour=BRAND)
    embed.add_field(name="Request", value=option_summary(options), inline=False)
    embed.set_footer(text=f"{elapsed:.0f} s so far")
    if preview:
        embed.set_image(url=f"attachment://{preview}")
    return embed


def result_embed(
    options: ImageOptions,
    images: Sequence[FittedImage],
    *,
    seconds: float,
    quota_left: str | None,
    requester_id: int,
    cost_micros: int | None = None,
) -> discord.Embed:
    """The embed of a finished job: prompt, model, size, quality, time taken, cost, quota left."""
    embed = discord.Embed(description=quote_prompt(options.prompt), colour=SUCCESS)
    embed.add_field(name="Model", value=options.model)
    sizes = sorted({f"{i.width}×{i.height}" for i in images})
    embed.add_field(name="Size", value=", ".join(sizes) or "?")
    embed.add_field(name="Quality", value=options.quality or "auto")
    embed.add_field(name="Time", value=f"{seconds:.1f} s")
    if cost_micros is not None:
        embed.add_field(name="Cost", value=format_usd(cost_micros))
    embed.add_field(name="Requested by", value=f"<@{requester_id}>")
    if quota_left is not None:
        embed.add_field(name="Your quota", value=quota_left)
    notes = [n for n in (i.note for i in images) if n] + list(options.notes)
    if notes:
        embed.set_footer(text="; ".join(dict.fromkeys(notes))[:2000])
    return embed


def failure_embed(text: str, options: ImageOptions | None = None) -> discord.Embed:
    """The embed of a job that ended without images."""
    embed = discord.Embed(title="No image this time", description=text[:4000], colour=FAILURE)
    if options is not None:
        embed.add_field(name="Prompt", value=quote_prompt(options.prompt, 300), inline=False)
    return embed


# -- buttons -------------------------------------------------------------------------------------


def _bot(interaction: discord.Interaction) -> ImageBot:
    return interaction.client  # type: ignore[return-value]


def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server (or Administrator) in this server, checked now, not from command defaults."""
    perms = getattr(interaction, "permissions", None)
    return bool(perms and (perms.manage_guild or perms.administrator))


class JobButton(discord.ui.DynamicItem[discord.ui.Button], template=r"img:(?P<action>[a-z]+):(?P<job>[0-9a-f]{32})"):
    """A result or queue button; the action and job id live in its ``custom_id``."""

    LABELS: ClassVar[dict[str, tuple[str, discord.ButtonStyle, str]]] = {
        "reroll": ("Reroll", discord.ButtonStyle.secondary, "🎲"),
        "edit": ("Edit", discord.ButtonStyle.secondary, "✏️"),
        "delete": ("Delete", discord.ButtonStyle.danger, "🗑️"),
        "cancel": ("Cancel", discord.ButtonStyle.danger, "✖️"),
    }

    def __init__(self, action: str, job_id: str) -> None:
        label, style, emoji = self.LABELS[action]
        super().__init__(discord.ui.Button(label=label, style=style, emoji=emoji,
                                           custom_id=f"img:{action}:{job_id}"))
        self.action = action
        self.job_id = job_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> JobButton:
        """Rebuild the button from a click, after a restart too."""
        action = match["action"]
        if action not in cls.LABELS:
            raise ValueError(f"unknown button action {action!r}")
        return cls(action, match["job"])

    async def callback(self, interaction: discord.Interaction) -> Any:
        """Dispatch to the job runner; every refusal is one private sentence."""
        bot = _bot(interaction)
        try:
            if bot.jobs is None:
                raise BotError("I'm still starting up; try again in a moment.")
            job = await bot.db.jobs.get(self.job_id)
            if job is None:
                raise BotError("I no longer know that image's job, so I can't do that.")
            if self.action == "delete":
                await self._delete(interaction, job.user_id)
            elif self.action == "cancel":
                await bot.jobs.cancel(interaction, job, by_admin=is_admin(interaction))
            elif self.action == "reroll":
                await bot.jobs.reroll(interaction, job)
            elif self.action == "edit":
                await interaction.response.send_modal(EditPromptModal(job.id))
        except BotError as error:
            log.info("button %s on job %s refused for %s: %s", self.action, self.job_id,
                     interaction.user.id, error)
            await reply_error(interaction, str(error))
        except Exception as error:
            log.exception("button %s on job %s failed", self.action, self.job_id)
            await reply_error(interaction, sentence_for(error))

    async def _delete(self, interaction: discord.Interaction, requester_id: int) -> None:
        if interaction.user.id != requester_id and not is_admin(interaction):
            raise NotAllowed("Only the member who asked for this image, or a server admin, can delete it.")
        await interaction.response.defer()
        if interaction.message is not None:
            await interaction.message.delete()


EDIT_MODAL_PREFIX = "img-edit-modal:"


class EditPromptModal(discord.ui.Modal, title="Edit this image"):
    """Asks for the change to make to a result.

    Its submission is handled by ``handle_edit_modal`` (through the bot's ``on_interaction``),
    not by this object: a member may submit it after the bot restarted, when this object is gone.
    """

    prompt: discord.ui.TextInput = discord.ui.TextInput(
        label="What should change?", style=discord.TextStyle.paragraph, custom_id="prompt",
        placeholder="make it night time, add a red umbrella…", max_length=4000,
    )

    def __init__(self, job_id: str) -> None:
        super().__init__(custom_id=f"{EDIT_MODAL_PREFIX}{job_id}", timeout=15 * 60)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Nothing here: ``handle_edit_modal`` answers, in this process or the next."""


def modal_value(data: Any, custom_id: str) -> str | None:
    """The value of the text input ``custom_id`` in a modal submission (rows or labels)."""
    stack = list((data or {}).get("components") or [])
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if item.get("custom_id") == custom_id and "value" in item:
            return str(item["value"])
        stack.extend(item.get("components") or [])
        if isinstance(item.get("component"), dict):
            stack.append(item["component"])
    return None


async def handle_edit_modal(interaction: discord.Interaction) -> bool:
    """Start an edit of a result from its Edit modal; ``False`` if the interaction is not one."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return False
    custom_id = str((interaction.data or {}).get("custom_id", ""))
    if not custom_id.startswith(EDIT_MODAL_PREFIX):
        return False
    job_id = custom_id.removeprefix(EDIT_MODAL_PREFIX)
    bot = _bot(interaction)
    message = interaction.message
    urls = [a.url for a in (message.attachments if message else [])
            if (a.content_type or "").startswith("image/")]
    try:
        if bot.jobs is None:
            raise BotError("I'm still starting up; try again in a moment.")
        prompt = modal_value(interaction.data, "prompt") or ""
        await bot.jobs.edit_result(interaction, job_id, prompt, urls)
    except BotError as error:
        log.info("edit of job %s refused for %s: %s", job_id, interaction.user.id, error)
        await reply_error(interaction, str(error))
    except Exception as error:
        log.exception("edit of job %s failed", job_id)
        await reply_error(interaction, sentence_for(error))
    return True


RESULT_BUTTONS = (JobButton,)


def result_view(job_id: str) -> discord.ui.View:
    """Reroll, Edit and Delete for a result message."""
    view = discord.ui.View(timeout=None)
    for action in ("reroll", "edit", "delete"):
        view.add_item(JobButton(action, job_id))
    return view


def queued_view(job_id: str) -> discord.ui.View:
    """A Cancel button for a job still waiting in the queue."""
    view = discord.ui.View(timeout=None)
    view.add_item(JobButton("cancel", job_id))
    return view
