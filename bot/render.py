"""What members see: embeds for progress, results and failures, and the views with their buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot.gptproto.errors import shorten
from bot.gptproto.registry import ImageOptions
from bot.money import format_usd

if TYPE_CHECKING:
    from bot.images import FittedImage

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


# -- views -------------------------------------------------------------------------------------
#
# The buttons' ``custom_id`` carries the action and the job id; ``cogs/results.py`` answers the
# clicks (also on messages posted before a restart) from that id alone.

BUTTON_ID = "img:{action}:{job_id}"
BUTTON_TEMPLATE = r"img:(?P<action>[a-z]+):(?P<job>[0-9a-f]{32})"
BUTTONS: dict[str, tuple[str, discord.ButtonStyle, str]] = {
    "reroll": ("Reroll", discord.ButtonStyle.secondary, "🎲"),
    "edit": ("Edit", discord.ButtonStyle.secondary, "✏️"),
    "delete": ("Delete", discord.ButtonStyle.danger, "🗑️"),
    "cancel": ("Cancel", discord.ButtonStyle.danger, "✖️"),
}


def job_button(action: str, job_id: str) -> discord.ui.Button:
    """The ``action`` button of a job's message."""
    label, style, emoji = BUTTONS[action]
    return discord.ui.Button(label=label, style=style, emoji=emoji,
                             custom_id=BUTTON_ID.format(action=action, job_id=job_id))


def result_view(job_id: str) -> discord.ui.View:
    """Reroll, Edit and Delete for a result message."""
    view = discord.ui.View(timeout=None)
    for action in ("reroll", "edit", "delete"):
        view.add_item(job_button(action, job_id))
    return view


def queued_view(job_id: str) -> discord.ui.View:
    """A Cancel button for a job still waiting in the queue."""
    view = discord.ui.View(timeout=None)
    view.add_item(job_button("cancel", job_id))
    return view
