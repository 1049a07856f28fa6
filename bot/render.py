"""What members see: embeds for progress, results and failures, and the views with their buttons.

Everything is rendered in one language, ``lang`` (a catalogue of ``bot.i18n``): the member's, for
a job the language stored with it (:func:`job_language`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.gptproto.errors import shorten
from bot.gptproto.registry import ImageOptions
from bot.i18n import ENGLISH, Msg, language, text
from bot.money import format_usd

if TYPE_CHECKING:
    from bot.images import FittedImage
    from bot.storage.intake import Intake
    from bot.storage.jobs import JobRecord

BRAND = discord.Colour.from_rgb(88, 101, 242)
SUCCESS = discord.Colour.from_rgb(67, 181, 129)
FAILURE = discord.Colour.from_rgb(237, 66, 69)
PROMPT_IN_EMBED = 1000


def job_language(job: JobRecord | Intake) -> str:
    """The language of the member who asked for ``job`` (their locale, else their server's)."""
    return language(job.reply.locale, job.reply.guild_locale)


def quote_prompt(prompt: str, limit: int = PROMPT_IN_EMBED) -> str:
    """The prompt for an embed: shortened when long, and unable to break out of its quote."""
    text = shorten(prompt, limit).replace("`", "ʼ")
    return f"> {text}"


def option_summary(options: ImageOptions, *, size: str | None = None, lang: str = ENGLISH) -> str:
    """``gpt-image-1 · 1024×1024 · high`` for a request (``size`` overrides the asked size)."""
    parts = [options.model, (size or options.size or "auto").replace("x", "×")]
    if options.quality:
        parts.append(options.quality)
    if options.n > 1:
        parts.append(text(lang, "summary-images", n=options.n))
    return " · ".join(parts)


def progress_embed(
    options: ImageOptions, *, phase: Msg | str, elapsed: float, position: int | None = None,
    preview: str | None = None, lang: str = ENGLISH,
) -> discord.Embed:
    """The embed of a job still in progress (a ``str`` phase is shown as it is)."""
    if position is not None:
        title = text(lang, "progress-queued", position=position)
    else:
        title = phase.render(lang) if isinstance(phase, Msg) else phase
    embed = discord.Embed(title=title, description=quote_prompt(options.prompt, 300), colour=BRAND)
    embed.add_field(name=text(lang, "field-request"), value=option_summary(options, lang=lang), inline=False)
    embed.set_footer(text=text(lang, "progress-elapsed", seconds=f"{elapsed:.0f}"))
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
    lang: str = ENGLISH,
) -> discord.Embed:
    """The embed of a finished job: prompt, model, size, quality, time taken, cost, quota left."""
    embed = discord.Embed(description=quote_prompt(options.prompt), colour=SUCCESS)
    embed.add_field(name=text(lang, "field-model"), value=options.model)
    sizes = sorted({f"{i.width}×{i.height}" for i in images})
    embed.add_field(name=text(lang, "field-size"), value=", ".join(sizes) or "?")
    embed.add_field(name=text(lang, "field-quality"), value=options.quality or "auto")
    embed.add_field(name=text(lang, "field-time"), value=text(lang, "seconds-short", seconds=f"{seconds:.1f}"))
    if cost_micros is not None:
        embed.add_field(name=text(lang, "field-cost"), value=format_usd(cost_micros))
    embed.add_field(name=text(lang, "field-requested-by"), value=f"<@{requester_id}>")
    if quota_left is not None:
        embed.add_field(name=text(lang, "field-your-quota"), value=quota_left)
    notes = [i.note_msg.render(lang) if i.note_msg else i.note for i in images if i.note]
    notes += [text(lang, note) for note in options.notes]
    if notes:
        embed.set_footer(text="; ".join(dict.fromkeys(notes))[:2000])
    return embed


def failure_embed(sentence: str, options: ImageOptions | None = None, lang: str = ENGLISH) -> discord.Embed:
    """The embed of a job that ended without images (``sentence`` is already in ``lang``)."""
    embed = discord.Embed(title=text(lang, "failure-title"), description=sentence[:4000], colour=FAILURE)
    if options is not None:
        embed.add_field(name=text(lang, "field-prompt"), value=quote_prompt(options.prompt, 300), inline=False)
    return embed


# -- views -------------------------------------------------------------------------------------
#
# The buttons' ``custom_id`` carries the action and the job id; ``cogs/results.py`` answers the
# clicks (also on messages posted before a restart) from that id alone.

BUTTON_ID = "img:{action}:{job_id}"
BUTTON_TEMPLATE = r"img:(?P<action>[a-z]+):(?P<job>[0-9a-f]{32})"
BUTTONS: dict[str, tuple[str, discord.ButtonStyle, discord.PartialEmoji]] = {
    # The emoji parsed once, not for every button of every message.
    "reroll": ("button-reroll", discord.ButtonStyle.secondary, discord.PartialEmoji(name="🎲")),
    "edit": ("button-edit", discord.ButtonStyle.secondary, discord.PartialEmoji(name="✏️")),
    "delete": ("button-delete", discord.ButtonStyle.danger, discord.PartialEmoji(name="🗑️")),
    "cancel": ("button-cancel", discord.ButtonStyle.danger, discord.PartialEmoji(name="✖️")),
}


def job_button(action: str, job_id: str, lang: str = ENGLISH) -> discord.ui.Button:
    """The ``action`` button of a job's message, labelled in ``lang``."""
    label, style, emoji = BUTTONS[action]
    return discord.ui.Button(label=text(lang, label), style=style, emoji=emoji,
                             custom_id=BUTTON_ID.format(action=action, job_id=job_id))


class Buttons(discord.ui.View):
    """A message's buttons, sent as components only.

    Their clicks are answered by ``cogs/results.py`` from the ``custom_id`` alone, so discord.py
    need not keep the view to call it back: it would keep every such view it sends (with no
    timeout, for as long as the bot runs), one per result message and progress edit.
    """

    def __init__(self, *items: discord.ui.Item[Any]) -> None:
        super().__init__(timeout=None)
        for item in items:
            self.add_item(item)

    def is_dispatchable(self) -> bool:
        """Never: nothing here answers a click (see the class)."""
        return False


def result_view(job_id: str, lang: str = ENGLISH) -> discord.ui.View:
    """Reroll, Edit and Delete for a result message."""
    return Buttons(*(job_button(action, job_id, lang) for action in ("reroll", "edit", "delete")))


def queued_view(job_id: str, lang: str = ENGLISH) -> discord.ui.View:
    """A Cancel button for a job still waiting in the queue."""
    return Buttons(job_button("cancel", job_id, lang))
