"""The buttons under results and queued jobs (Reroll, Edit, Delete, Cancel) and the Edit form.

The buttons are ``DynamicItem``s matched by their ``custom_id`` (the action and the job id), so a
message posted before a restart still works after it: the rest of their state comes from the
database. The Edit form is answered from its own ``custom_id`` in ``on_interaction``, so a form
opened before a restart is still answered after it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.errors import NotAllowed, ValidationError
from bot.gptproto.registry import JobKind, validate_edit, validate_generate
from bot.i18n import ENGLISH, text
from bot.images import MAX_INPUT_IMAGES
from bot.render import BUTTON_TEMPLATE, BUTTONS, job_button
from bot.storage.jobs import JobRecord
from bot.tree import is_admin, locale_of, report

if TYPE_CHECKING:
    from bot.app import ImageBot

log = logging.getLogger(__name__)

EDIT_MODAL_PREFIX = "img-edit-modal:"


def prompt_input(placeholder: str, lang: str = ENGLISH) -> discord.ui.Label:
    """The prompt field of an edit form, in a ``Label`` as Discord now asks for text inputs."""
    return discord.ui.Label(
        text=text(lang, "form-prompt-label"),
        component=discord.ui.TextInput(style=discord.TextStyle.paragraph, custom_id="prompt",
                                       placeholder=placeholder, max_length=4000),
    )


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


class EditPromptModal(discord.ui.Modal):
    """Asks for the change to make to a result; answered by :meth:`Results.on_interaction`."""

    def __init__(self, job_id: str, lang: str = ENGLISH) -> None:
        super().__init__(title=text(lang, "form-edit-result-title"), custom_id=f"{EDIT_MODAL_PREFIX}{job_id}",
                         timeout=15 * 60)
        self.add_item(prompt_input(text(lang, "form-edit-result-placeholder"), lang))


class JobButton(discord.ui.DynamicItem[discord.ui.Button], template=BUTTON_TEMPLATE):
    """A result or queue button; the action and job id live in its ``custom_id``."""

    def __init__(self, action: str, job_id: str) -> None:
        super().__init__(job_button(action, job_id))
        self.action = action
        self.job_id = job_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> JobButton:
        """Rebuild the button from a click, after a restart too."""
        action = match["action"]
        if action not in BUTTONS:
            raise ValueError(f"unknown button action {action!r}")
        return cls(action, match["job"])

    async def callback(self, interaction: discord.Interaction) -> Any:
        """Do what the button says; every refusal is one private sentence."""
        bot: ImageBot = interaction.client  # type: ignore[assignment]
        try:
            job = await bot.db.jobs.get(self.job_id)
            if job is None:
                raise ValidationError(msg_id="button-job-unknown")
            if self.action == "delete":
                await delete(interaction, job)
            elif self.action == "cancel":
                await cancel(bot, interaction, job)
            elif self.action == "reroll":
                await reroll(bot, interaction, job)
            elif self.action == "edit":
                await interaction.response.send_modal(EditPromptModal(job.id, locale_of(interaction)))
        except Exception as error:
            await report(interaction, error, what=f"button {self.action} on job {self.job_id}")


async def delete(interaction: discord.Interaction, job: JobRecord) -> None:
    """Delete a result message (its requester or an admin)."""
    if interaction.user.id != job.user_id and not is_admin(interaction):
        raise NotAllowed(msg_id="delete-not-allowed")
    await interaction.response.defer()
    if interaction.message is not None:
        await interaction.message.delete()


async def cancel(bot: ImageBot, interaction: discord.Interaction, job: JobRecord, *, privately: bool = False) -> None:
    """Cancel a queued or running job: the clicker must be its requester or an admin of the job's
    own server. The runner tells the member on the job's own message, whoever cancelled it.

    The queue's Cancel button (on that message) only acknowledges the click; ``privately`` (the
    ``/jobs`` list, itself private) answers with a private "thinking…" for a sentence to follow.
    """
    by_admin = is_admin(interaction) and job.guild_id is not None and job.guild_id == interaction.guild_id
    if interaction.user.id != job.user_id and not by_admin:
        raise NotAllowed(msg_id="cancel-not-allowed")
    # Discord is answered first: the rest may take a moment.
    if privately:
        await interaction.response.defer(ephemeral=True, thinking=True)
    else:
        await interaction.response.defer()
    if not await bot.jobs.cancel(job, by=interaction.user.id):
        raise ValidationError(msg_id="cancel-too-late")


async def reroll(bot: ImageBot, interaction: discord.Interaction, job: JobRecord) -> None:
    """The same request again, through validation and quota like a new command."""
    old, settings = job.options, bot.settings
    if old.spec.kind is JobKind.GENERATE:
        options = validate_generate(
            model=old.model, prompt=old.prompt, size=old.size, quality=old.quality, n=old.n,
            background=old.background, output_format=old.output_format,
            default_model=settings.default_model)
    else:
        options = validate_edit(
            model=old.model, prompt=old.prompt, images=list(old.images), mask=old.mask,
            size=old.size, quality=old.quality, n=old.n, background=old.background,
            default_model=settings.default_edit_model)
    await bot.jobs.submit(interaction, kind=job.kind, options=options, parent_job_id=job.id)


async def edit_result(bot: ImageBot, interaction: discord.Interaction, job_id: str, prompt: str,
                      urls: Sequence[str]) -> None:
    """Edit a posted result (its images) with a new prompt."""
    if not urls:
        raise ValidationError(msg_id="edit-no-images-left")
    policy = await bot.policies.get(interaction.guild_id)  # the server's default edit model
    options = validate_edit(model=None, prompt=prompt, images=list(urls)[:MAX_INPUT_IMAGES],
                            default_model=policy.default_edit_model)
    await bot.jobs.submit(interaction, kind=JobKind.EDIT, options=options, parent_job_id=job_id)


class Results(commands.Cog):
    """Buttons and forms of result messages."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer the result Edit form, also one opened before a restart."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if not custom_id.startswith(EDIT_MODAL_PREFIX):
            return
        job_id = custom_id.removeprefix(EDIT_MODAL_PREFIX)
        message = interaction.message
        urls = [a.url for a in (message.attachments if message else [])
                if (a.content_type or "").startswith("image/")]
        try:
            prompt = modal_value(interaction.data, "prompt") or ""
            await edit_result(self.bot, interaction, job_id, prompt, urls)
        except Exception as error:
            await report(interaction, error, what=f"edit of job {job_id}")


async def setup(bot: ImageBot) -> None:
    """Load the cog and register the persistent buttons."""
    bot.add_dynamic_items(JobButton)
    await bot.add_cog(Results(bot))


async def teardown(bot: ImageBot) -> None:
    """Unregister the persistent buttons with the cog."""
    bot.remove_dynamic_items(JobButton)
