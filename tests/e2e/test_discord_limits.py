"""Discord's limits end to end: upload size, files per message, edit rate, channel permissions."""

from __future__ import annotations

import dataclasses
import itertools
import time

from bot.images import FittedImage
from bot.render import result_embed
from tests.e2e.conftest import decode, ephemeral_text, has_files, wait_jobs_finished
from tests.fakes.imagegen import make_image

VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES = 1 << 10, 1 << 11, 1 << 14, 1 << 15


async def test_result_over_the_upload_limit_is_reencoded_to_fit(start_bot, discord_fake, gptproto):
    """A result bigger than the interaction's upload limit is re-encoded to fit, and the embed says so."""
    await start_bot()
    gptproto.noisy_images = True
    limit = 400_000
    interaction = await discord_fake.slash("generate", {"prompt": "static noise", "size": "1024x1024"},
                                           attachment_size_limit=limit)
    await interaction.wait_for(has_files, timeout=20)
    message = interaction.original()
    (image,) = message.attachments
    assert len(image.data) <= limit
    assert decode(image.data).width > 0
    assert "to fit" in message.embeds[0]["footer"]["text"]
    assert not [r for r in discord_fake.request_log if r.status == 413], "never a 413"


async def test_more_than_ten_images_go_into_several_messages(start_bot, discord_fake, gptproto):
    """Twelve images are posted as ten on the result message and two in a follow-up, never 11 in one."""
    running = await start_bot()
    interaction = await discord_fake.slash("generate", {"prompt": "one"})
    await interaction.wait_for(has_files, timeout=15)
    (row,) = await wait_jobs_finished(running.db)
    # A finished job keeps no token; this test re-posts through the same (still live) interaction.
    stored = await running.db.jobs.get(row["id"])
    job = dataclasses.replace(stored, reply=dataclasses.replace(stored.reply, token=interaction.token))
    png = make_image(64, 64, fmt="png")
    fitted = [FittedImage(data=png, filename=f"img-{i}.png", format="png", width=64, height=64,
                          original_bytes=len(png), changed=False, note=None) for i in range(12)]
    embed = result_embed(job.options, fitted, seconds=1.0, quota_left=None,
                         requester_id=job.user_id)
    ids = await running.bot.jobs.delivery.post(job, embed, fitted, via_channel=False)
    assert len(ids) == 2
    assert len(interaction.original().attachments) == 10
    assert len(discord_fake.messages[ids[1]].attachments) == 2


async def test_progress_edits_are_throttled(start_bot, discord_fake, gptproto):
    """While a job runs, its message is edited at most once per progress interval."""
    running = await start_bot()
    runner = running.bot.jobs.delivery
    runner.progress_interval = 0.5
    runner.first_edit_after = 0.0  # this test is about the interval between edits
    edits: list[float] = []
    original_edit = runner.edit_original

    async def spy(job, **fields):
        edits.append(time.monotonic())
        await original_edit(job, **fields)

    runner.edit_original = spy
    image = discord_fake.add_attachment(make_image(256, 256, fmt="png"), "photo.png")
    gptproto.prediction_duration = 2.5
    interaction = await discord_fake.slash("edit", {"prompt": "snow", "image": image["id"]},
                                           attachments={"image": image})
    await interaction.wait_for(has_files, timeout=20)
    gaps = [b - a for a, b in itertools.pairwise(edits)]
    assert len(edits) >= 2, "progress is shown while waiting"
    assert min(gaps) >= 0.45, f"edits closer than the interval: {gaps}"
    assert len(edits) <= 2.5 / 0.5 + 2


async def test_a_quick_job_is_not_edited_before_its_result(start_bot, discord_fake, gptproto):
    """A job done within ``first_edit_after`` shows "thinking…", then its result: no progress edit."""
    running = await start_bot()
    delivery = running.bot.jobs.delivery
    delivery.first_edit_after = 5.0
    gptproto.latency = 0.3
    interaction = await discord_fake.slash("generate", {"prompt": "a quick cat"})
    await interaction.wait_for(has_files, timeout=20)
    edits = [e for e in discord_fake.request_log
             if interaction.token in e.path and e.method == "PATCH" and not e.files]
    assert edits == [], [e.path for e in edits]
    delivery.first_edit_after = 0.0
    interaction = await discord_fake.slash("generate", {"prompt": "a slower cat"})
    await interaction.wait_for(has_files, timeout=20)
    edits = [e for e in discord_fake.request_log
             if interaction.token in e.path and e.method == "PATCH" and not e.files]
    assert edits, "without the delay the running job's message is edited first"


async def test_missing_channel_permissions_are_explained(start_bot, discord_fake, gptproto, caplog):
    """Where the bot cannot attach files, the member is told which permission is missing; no API call."""
    running = await start_bot()
    everything = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS
    interaction = await discord_fake.slash("generate", {"prompt": "a cat"}, app_permissions=everything)
    await interaction.wait_response()
    text = ephemeral_text(interaction) or ""
    assert "I can't post images in this channel" in text and "Attach Files" in text
    assert gptproto.generation_requests() == []
    assert await running.db.fetchall("SELECT id FROM jobs") == []
    assert any("lacks Attach Files" in r.getMessage() for r in caplog.records)


async def test_dead_token_falls_back_to_the_channel(start_bot, discord_fake, gptproto):
    """When Discord says the interaction token is dead, the result goes to the channel with a mention."""
    running = await start_bot()
    gptproto.latency = 0.5
    interaction = await discord_fake.slash("generate", {"prompt": "late"}, user_id=discord_fake.member_id)
    await interaction.wait_response()
    discord_fake.age_interaction(interaction, 16 * 60)
    (row,) = await wait_jobs_finished(running.db, 15)
    assert row["state"] == "done"
    (posted,) = [m for m in discord_fake.channel_messages[discord_fake.channel_id] if m.attachments]
    assert f"<@{discord_fake.member_id}>" in posted.content
    assert posted.message_reference is None
    assert interaction.original().deleted, "the stale 'thinking…' message is removed"


async def test_channel_delivery_refused_by_discord_is_refunded(start_bot, discord_fake, gptproto, caplog):
    """If Discord refuses a channel post (Missing Permissions), the job is refunded and the admin log says why."""
    running = await start_bot()
    gptproto.latency = 0.5
    interaction = await discord_fake.slash("generate", {"prompt": "late"})
    await interaction.wait_response()
    discord_fake.age_interaction(interaction, 16 * 60)
    discord_fake.deny_channel(discord_fake.channel_id, visible=False)
    (row,) = await wait_jobs_finished(running.db, 15)
    assert (row["state"], row["images_reserved"]) == ("failed", 0)
    assert any("Missing Permissions" in r.getMessage() for r in caplog.records)
