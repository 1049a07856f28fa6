"""Everything that talks to Discord about a job: the token's lifetime, posting results, telling outcomes.

A job answers through its interaction's webhook while the token lives (15 minutes); after that,
or when Discord says the token is dead, it posts to the channel with a mention of the member and
removes the stale "thinking…" message. The webhook is rebuilt from the stored ``ReplyTarget``
(``discord.Webhook.partial``), so a job resumed after a restart answers the same message. A
job's progress edits are :mod:`bot.jobs.progress`.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from typing import Any

import discord

from bot import images as imaging
from bot.errors import JobFailed, NotAllowed
from bot.gptproto.errors import MalformedResponse
from bot.i18n import CommaList, Msg, text
from bot.jobs.progress import DISCORD_FAILURES, FIRST_EDIT_AFTER, PROGRESS_INTERVAL, Progress
from bot.render import job_language, result_view
from bot.storage.intake import Intake
from bot.storage.jobs import DEFAULT_UPLOAD_LIMIT, JobRecord, JobStore

log = logging.getLogger(__name__)

TOKEN_LIFETIME = 15 * 60
TOKEN_MARGIN = 30  # deliver through the channel a little before the token dies
MAX_FILES_PER_MESSAGE = 10
#: Discord's answers meaning the interaction token can no longer be used.
DEAD_TOKEN_CODES = frozenset({50027, 10015, 10062, 10008})
#: Discord's "Unknown Message": with a working token, the interaction has no such message.
UNKNOWN_MESSAGE = 10008

#: Permission → its message id (Discord's own name for it, in each language).
NEEDED_PERMISSIONS = {
    "view_channel": "perm-view-channel",
    "send_messages": "perm-send-messages",
    "attach_files": "perm-attach-files",
    "embed_links": "perm-embed-links",
}
THREAD_TYPES = frozenset({discord.ChannelType.public_thread, discord.ChannelType.private_thread,
                          discord.ChannelType.news_thread})


def check_channel_permissions(interaction: discord.Interaction) -> None:
    """Refuse early, in one sentence, where the bot could not post the result.

    Results are posted through the interaction, and through the channel once its token has
    expired, so the bot needs these in the channel; Discord says which it has in
    ``app_permissions``. The sentence names them as Discord does in the member's language.
    """
    if interaction.guild_id is None:
        return
    have = interaction.app_permissions
    needed = dict(NEEDED_PERMISSIONS)
    if getattr(interaction.channel, "type", None) in THREAD_TYPES:
        # In a thread Discord grants "Send Messages in Threads", not "Send Messages".
        del needed["send_messages"]
        needed["send_messages_in_threads"] = "perm-send-messages-in-threads"
    missing = [name for name in needed if not getattr(have, name, False)]
    if missing:
        log.warning("channel %s in guild %s: the bot lacks %s; refused a command there",
                    interaction.channel_id, interaction.guild_id, ", ".join(text("en", needed[n]) for n in missing))
        raise NotAllowed(msg_id="channel-missing-permissions",
                         args={"permissions": CommaList(tuple(Msg(needed[name]) for name in missing)),
                               "count": len(missing)})


class TokenDead(Exception):
    """The interaction token no longer works, so Discord cannot say whether it got the first answer."""


def mention_only(user_id: int) -> discord.AllowedMentions:
    """Mentions that ping the requester and nobody else."""
    return discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(user_id)])


class Delivery:
    """Shows a job's progress and posts its outcome, through the interaction or the channel."""

    def __init__(self, client: discord.Client, jobs: JobStore, *,
                 progress_interval: float = PROGRESS_INTERVAL, first_edit_after: float = FIRST_EDIT_AFTER) -> None:
        self.client = client
        self.jobs = jobs
        self.progress_interval = progress_interval
        self.first_edit_after = first_edit_after

    def progress(self, job: JobRecord) -> Progress:
        """A new progress message for ``job`` (shown on its first update)."""
        return Progress(self, job)

    # -- where to answer ----------------------------------------------------------------------

    def token_alive(self, job: JobRecord | Intake) -> bool:
        """Whether the interaction token still works (it dies after 15 minutes)."""
        reply = job.reply
        if not reply.token or not reply.created_at or not reply.application_id:
            return False
        return time.time() < reply.created_at + TOKEN_LIFETIME - TOKEN_MARGIN

    def channel(self, job: JobRecord | Intake) -> discord.PartialMessageable:
        """The job's channel, for posts once the interaction token is dead."""
        return self.client.get_partial_messageable(job.channel_id, guild_id=job.guild_id)

    def webhook(self, job: JobRecord | Intake) -> discord.Webhook:
        """The interaction's follow-up webhook, rebuilt from the database (works after restarts)."""
        reply = job.reply
        assert reply.application_id is not None and reply.token is not None  # token_alive checked
        return discord.Webhook.partial(reply.application_id, reply.token, client=self.client)

    async def edit_original(self, job: JobRecord, **fields: Any) -> None:
        """Edit the job's interaction message (``@original``) while its token lives."""
        if not self.token_alive(job):
            return
        await self.webhook(job).edit_message("@original", **fields)  # type: ignore[arg-type]

    def upload_limit(self, job: JobRecord, *, via_channel: bool) -> int:
        """Bytes one file may have: the interaction's limit, or the server's for channel posts."""
        if via_channel:
            guild = self.client.get_guild(job.guild_id) if job.guild_id else None
            return guild.filesize_limit if guild else DEFAULT_UPLOAD_LIMIT
        return job.reply.upload_limit

    # -- results ------------------------------------------------------------------------------

    async def fit(self, job: JobRecord, raw_images: list[bytes], *, via_channel: bool) -> list[imaging.FittedImage]:
        """Check the API's images and fit each into the upload limit (off the event loop).

        Each image is decoded at most once: one within the limit is checked without a full
        decode, a larger one is checked by the decode of its re-encoding. An image that is not
        usable is logged and skipped; ``MalformedResponse`` when none is usable. An image that
        cannot be made small enough raises ``InvalidImage`` (``"cannot_fit"``).

        Empties ``raw_images`` (the caller's list) as it goes, so each image's raw bytes live in
        one place only and go as soon as it is fitted.
        """
        limit = self.upload_limit(job, via_channel=via_channel)
        count = len(raw_images)
        raw_images.reverse()
        fitted: list[imaging.FittedImage] = []
        for index in range(count):
            try:
                fitted.append(await imaging.fit_result(raw_images.pop(), limit=limit,
                                                       basename=f"{job.id[:8]}-{len(fitted) + 1}"))
            except Exception as error:  # whatever a damaged image makes Pillow raise: skip that one
                if isinstance(error, MemoryError) or getattr(error, "reason", None) == "cannot_fit":
                    raise
                log.warning("job %s: image %d from the API is unusable: %s", job.id, index + 1, error)
        if not fitted:
            raise MalformedResponse(f"none of the {count} image(s) decoded")
        return fitted

    async def post_result(self, job: JobRecord, embed: discord.Embed, fitted: list[imaging.FittedImage],
                          *, via_channel: bool) -> list[int]:
        """Post the result; through the channel when its token is (or turns out to be) dead."""
        try:
            return await self._post_with_fallback(job, embed, fitted, via_channel=via_channel)
        except discord.Forbidden as error:
            raise JobFailed(
                msg_id="post-forbidden",
                admin_detail=f"Missing Permissions in channel {job.channel_id} ({error.code}: {error.text})",
            ) from error

    async def _post_with_fallback(self, job: JobRecord, embed: discord.Embed,
                                  fitted: list[imaging.FittedImage], *, via_channel: bool) -> list[int]:
        if not via_channel:
            try:
                return await self.post(job, embed, fitted, via_channel=False)
            except discord.HTTPException as error:
                if error.code not in DEAD_TOKEN_CODES:
                    raise
                log.info("job %s: interaction token no longer works (%s); posting to the channel",
                         job.id, error.code)
        limit = self.upload_limit(job, via_channel=True)
        for index, image in enumerate(fitted):
            if len(image.data) > limit:
                fitted[index] = await imaging.fit_to_limit(image.data, limit=limit,
                                                           basename=image.filename.rsplit(".", 1)[0])
        ids = await self.post(job, embed, fitted, via_channel=True)
        await self.remove_progress_message(job)
        return ids

    async def post(self, job: JobRecord, embed: discord.Embed, fitted: Sequence[imaging.FittedImage],
                   *, via_channel: bool) -> list[int]:
        """Post the files, at most 10 a message, with the embed and the buttons on the first."""
        chunks = [fitted[i:i + MAX_FILES_PER_MESSAGE] for i in range(0, len(fitted), MAX_FILES_PER_MESSAGE)]
        ids: list[int] = []
        for number, chunk in enumerate(chunks):
            buffers = [io.BytesIO(f.data) for f in chunk]
            try:
                message = await self._post_chunk(job, embed, chunk, buffers, first=number == 0,
                                                 via_channel=via_channel)
            finally:
                # aiohttp's upload takes the buffer's memory for its own (a copy of the file), and
                # discord.File stops it from closing the buffer, so the copy lived as long as the
                # request's objects did (measured: ten or more 4K uploads' copies at once).
                for buffer in buffers:
                    io.BytesIO.close(buffer)
            ids.append(message.id)
            if number == 0 and (len(chunks) > 1 or via_channel):
                # Recorded at once while more requests follow before the job is finished (more
                # messages; the progress message's removal after a channel post): a restart in
                # between must know the result is out. A lone message by the interaction's
                # webhook is recorded by ``finish``, the very next write, which leaves a restart
                # no longer a window than this write would.
                await self.jobs.set_message(job.id, message.id)
        return ids

    async def _post_chunk(self, job: JobRecord, embed: discord.Embed, chunk: Sequence[imaging.FittedImage],
                          buffers: list[io.BytesIO], *, first: bool, via_channel: bool) -> discord.Message:
        """Post one message of at most 10 files (``buffers``, their bytes)."""
        files = [discord.File(buffer, filename=f.filename) for buffer, f in zip(buffers, chunk, strict=True)]
        kwargs: dict[str, Any] = {}
        if first:
            kwargs = {"embed": embed, "view": result_view(job.id, job_language(job))}
        if via_channel:
            content = text(job_language(job), "result-ready", user=str(job.user_id)) if first else None
            return await self.channel(job).send(
                content=content, files=files, allowed_mentions=mention_only(job.user_id), **kwargs)
        if first:
            return await self.webhook(job).edit_message(
                "@original", content=None, attachments=files, **kwargs)  # type: ignore[arg-type]
        return await self.webhook(job).send(files=files, wait=True)

    # -- other outcomes -----------------------------------------------------------------------

    async def tell(self, job: JobRecord | Intake, embed: discord.Embed) -> bool:
        """Replace the job's message with ``embed``; through the channel when the token died.

        ``False`` when Discord could not be reached (logged), so that the caller tries again
        later; ``True`` once told, or when Discord refused for good (a deleted channel, a missing
        permission): trying again would not help.
        """
        try:
            if self.token_alive(job):
                try:
                    await self.webhook(job).edit_message("@original", content=None, embed=embed,
                                                         attachments=[], view=None)  # type: ignore[arg-type]
                    return True
                except discord.HTTPException as error:
                    if error.code not in DEAD_TOKEN_CODES:
                        raise
            await self.channel(job).send(content=f"<@{job.user_id}>", embed=embed,
                                         allowed_mentions=mention_only(job.user_id))
            await self.remove_progress_message(job)
            return True
        except DISCORD_FAILURES as error:
            log.warning("job %s: could not tell user %s (%s)", job.id, job.user_id, error)
            return isinstance(error, discord.HTTPException) and error.status < 500

    async def acknowledged(self, job: JobRecord | Intake) -> int | None:
        """The id of the interaction's first answer ("thinking…"), or ``None`` if Discord never got one.

        Asked of requests a restart cut off around their acknowledgement. ``None`` only when the
        token works and Discord says the interaction has no message. Raises ``TokenDead`` when
        the token no longer works (after 15 minutes): a "thinking…" may be showing, or not.
        Network trouble raises, so that the request is looked at again later rather than dropped.
        """
        if not self.token_alive(job):
            raise TokenDead(job.job_id if isinstance(job, Intake) else job.id)
        try:
            message = await self.webhook(job).fetch_message("@original")  # type: ignore[arg-type]
        except discord.HTTPException as error:
            if error.code in DEAD_TOKEN_CODES and error.code != UNKNOWN_MESSAGE:
                raise TokenDead(str(error)) from error
            if isinstance(error, discord.NotFound):
                return None
            raise
        return message.id

    async def remove_progress_message(self, job: JobRecord | Intake) -> None:
        """Delete the job's "thinking…" message once its news went to the channel instead.

        After 15 minutes the interaction token cannot edit it any more; without this the member
        would see it spin (or a stale queue position) forever above the result.
        """
        if not job.progress_message_id:
            return
        try:
            await self.channel(job).get_partial_message(job.progress_message_id).delete()
        except DISCORD_FAILURES as error:
            log.info("job %s: could not remove its progress message (%s)", job.id, error)

    async def posted_before(self, job: JobRecord) -> tuple[int, list[int]] | None:
        """Whether a job stopped while delivering had already posted: (images, message ids), or ``None``.

        The result message's id is recorded as soon as it is out (by ``post``, or by ``finish``
        right after it); failing that (a stop between the post and the record), the result files
        on the interaction's message tell, while its token lives. The number of images is read
        back from the message when possible.

        Only Discord's own answer that the message cannot be read (it is gone, the token is dead,
        the channel closed) counts as "nothing to read". Network trouble and Discord's server errors
        raise, so that the job is looked at again later rather than taken for not posted.
        """
        message: discord.Message | discord.WebhookMessage | None = None
        try:
            if job.message_id:
                message = await self.channel(job).fetch_message(job.message_id)
            elif self.token_alive(job):
                message = await self.webhook(job).fetch_message("@original")  # type: ignore[arg-type]
        except discord.HTTPException as error:
            if error.status >= 500 or error.status == 429:
                raise
            log.info("recovery: job %s: could not read its message (%s)", job.id, error)
        posted = [a for a in message.attachments if a.filename.startswith(job.id[:8])] if message else []
        if not posted and not job.message_id:
            return None
        ids = [job.message_id] if job.message_id else [message.id] if message else []
        return len(posted) or job.images_reserved, ids
