"""Delivery: the permission check before a job, the token's lifetime, and coalesced progress edits."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import discord
import pytest

from bot.errors import NotAllowed
from bot.gptproto.registry import ImageOptions, JobKind
from bot.jobs.delivery import TOKEN_LIFETIME, TOKEN_MARGIN, Delivery, check_channel_permissions
from bot.storage.jobs import JobRecord, JobState, ReplyTarget

BASE = discord.Permissions(view_channel=True, embed_links=True, attach_files=True)


def interaction(permissions: discord.Permissions, channel_type: discord.ChannelType, guild_id: int | None = 1):
    """Just the fields the check reads from a discord.Interaction."""
    return SimpleNamespace(guild_id=guild_id, channel_id=2, app_permissions=permissions,
                           channel=SimpleNamespace(type=channel_type))


def test_text_channel_needs_send_messages():
    """In a text channel, Send Messages is required and named when missing."""
    check_channel_permissions(interaction(BASE | discord.Permissions(send_messages=True), discord.ChannelType.text))
    with pytest.raises(NotAllowed, match="Send Messages permission here"):
        check_channel_permissions(interaction(BASE, discord.ChannelType.text))


@pytest.mark.parametrize("kind", [discord.ChannelType.public_thread, discord.ChannelType.private_thread])
def test_threads_need_send_messages_in_threads_instead(kind):
    """In a thread, Send Messages in Threads is what counts (Send Messages is often off there)."""
    check_channel_permissions(interaction(BASE | discord.Permissions(send_messages_in_threads=True), kind))
    with pytest.raises(NotAllowed, match="Send Messages in Threads"):
        check_channel_permissions(interaction(BASE | discord.Permissions(send_messages=True), kind))


def test_several_missing_permissions_are_all_named():
    """Every missing permission is named in one sentence."""
    with pytest.raises(NotAllowed) as refused:
        check_channel_permissions(interaction(discord.Permissions(view_channel=True), discord.ChannelType.text))
    assert "Send Messages, Attach Files, Embed Links permissions" in str(refused.value)


def test_direct_messages_are_not_checked():
    """In DMs there are no channel permissions to check."""
    check_channel_permissions(interaction(discord.Permissions.none(), discord.ChannelType.private, guild_id=None))


# -- the token's lifetime and the progress message ---------------------------------------------


def job_with(reply: ReplyTarget) -> JobRecord:
    """A queued job answering through ``reply``."""
    return JobRecord(
        id="a" * 32, kind=JobKind.GENERATE, state=JobState.QUEUED, user_id=5, guild_id=None,
        options=ImageOptions(model="gpt-image-1", prompt="a red fox"), reply=reply,
        images_requested=1, images_reserved=1, images_delivered=0, prediction_id=None, message_id=None,
        result_message_ids=[], input_tokens=0, output_tokens=0, total_tokens=0, error=None,
        quota_day="2026-03-14", created_at=time.time(), started_at=None, finished_at=None, parent_job_id=None)


def live_reply(age: float = 0.0, **fields) -> ReplyTarget:
    """A reply target whose interaction was created ``age`` seconds ago."""
    return ReplyTarget(channel_id=2, application_id=3, token="tok", created_at=time.time() - age, **fields)


class RecordingDelivery(Delivery):
    """A delivery whose edits are recorded instead of sent (and can be made slow)."""

    def __init__(self, interval: float, edit_seconds: float = 0.0, first_edit_after: float = 0.0) -> None:
        super().__init__(client=None, jobs=None, progress_interval=interval,  # type: ignore[arg-type]
                         first_edit_after=first_edit_after)
        self.edits: list[dict] = []
        self.edit_seconds = edit_seconds

    async def edit_original(self, job: JobRecord, **fields) -> None:
        """Record the edit after ``edit_seconds``."""
        await asyncio.sleep(self.edit_seconds)
        self.edits.append(fields)


def test_the_token_is_used_until_shortly_before_it_dies():
    """Answer through the interaction for 15 minutes less a margin; then through the channel."""
    delivery = Delivery(client=None, jobs=None)  # type: ignore[arg-type]
    assert delivery.token_alive(job_with(live_reply(age=60)))
    assert not delivery.token_alive(job_with(live_reply(age=TOKEN_LIFETIME - TOKEN_MARGIN + 1)))
    assert not delivery.token_alive(job_with(ReplyTarget(channel_id=2)))  # no token stored (finished job)


def test_the_interaction_upload_limit_is_the_one_discord_gave():
    """Files posted through the interaction are fitted to the limit Discord gave that interaction."""
    delivery = Delivery(client=None, jobs=None)  # type: ignore[arg-type]
    job = job_with(live_reply(upload_limit=50 * 1024 * 1024))
    assert delivery.upload_limit(job, via_channel=False) == 50 * 1024 * 1024


async def test_progress_coalesces_updates_and_shows_the_newest():
    """Many updates within one interval become one edit, and the newest phase wins."""
    delivery = RecordingDelivery(interval=0.05)
    progress = delivery.progress(job_with(live_reply()))
    for index in range(20):
        progress.update(phase=f"phase {index}")
    await asyncio.sleep(0.2)
    await progress.close()
    titles = [edit["embed"].title for edit in delivery.edits]
    assert titles[-1] == "phase 19"
    assert len(titles) <= 2, titles


async def test_the_first_edit_waits_so_a_quick_job_needs_none():
    """Nothing is edited before ``first_edit_after``; a job closed by then was never edited."""
    delivery = RecordingDelivery(interval=0.0, first_edit_after=0.15)
    quick = delivery.progress(job_with(live_reply()))
    quick.update(phase="Queued", position=2)
    quick.update(phase="Generating…", clear_position=True)
    await asyncio.sleep(0.05)
    await quick.close()
    slow = delivery.progress(job_with(live_reply()))
    slow.update(phase="Queued", position=2)
    await asyncio.sleep(0.05)
    assert delivery.edits == []
    slow.update(phase="Generating…", clear_position=True)
    await asyncio.sleep(0.2)
    await slow.close()
    assert [edit["embed"].title for edit in delivery.edits] == ["Generating…"]


async def test_close_waits_for_an_edit_in_flight_and_stops_further_ones():
    """After close() no progress edit can overwrite the final message."""
    delivery = RecordingDelivery(interval=0.0, edit_seconds=0.05)
    progress = delivery.progress(job_with(live_reply()))
    progress.update(phase="Generating…")
    await asyncio.sleep(0.01)  # the edit is in flight
    await progress.close()
    assert len(delivery.edits) == 1
    progress.update(phase="late")
    await asyncio.sleep(0.1)
    assert len(delivery.edits) == 1


async def test_queue_position_shows_a_cancel_button():
    """A job waiting in the queue shows its place and a Cancel button; a running one does not."""
    delivery = RecordingDelivery(interval=0.0)
    progress = delivery.progress(job_with(live_reply()))
    progress.update(phase="Queued", position=3)
    await asyncio.sleep(0.02)
    progress.update(phase="Generating…", clear_position=True)
    await asyncio.sleep(0.02)
    await progress.close()
    first, last = delivery.edits[0], delivery.edits[-1]
    assert first["embed"].title == "Waiting in the queue: position 3" and first["view"] is not None
    assert last["embed"].title == "Generating…" and last["view"] is None


async def test_a_pending_first_edit_costs_no_task_and_a_preview_cuts_the_wait():
    """Until the first edit is due nothing but a timer waits (most jobs end before: no task is
    started and cancelled for them); a preview is shown at once, without waiting for it."""
    delivery = RecordingDelivery(interval=0.0, first_edit_after=10.0)
    progress = delivery.progress(job_with(live_reply()))
    progress.update(phase="Queued", position=2)
    progress.update(phase="Generating…", clear_position=True)
    await asyncio.sleep(0.01)
    assert [t for t in asyncio.all_tasks() if t.get_name().startswith("progress-")] == []
    assert delivery.edits == []
    progress.update(preview=b"a preview")
    await asyncio.sleep(0.05)
    assert [edit["embed"].title for edit in delivery.edits] == ["Generating…"]
    assert delivery.edits[0]["attachments"], "with the preview"
    await progress.close()
