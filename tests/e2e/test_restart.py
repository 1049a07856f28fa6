"""Jobs survive a restart: the bot is stopped mid-job and started again on the same database.

``running.stop()`` closes the bot as a shutdown does (the job runner is cancelled and leaves its
jobs in SQLite); ``start_bot()`` then starts a new bot on the same ``database_path``, whose
start-up recovery must finish what was left, without ever sending a request to the API twice.
"""

from __future__ import annotations

import asyncio
import sqlite3

from tests.e2e.conftest import (
    has_embed_title,
    has_files,
    posted_images,
    wait_job_state,
    wait_jobs_finished,
)
from tests.fakes.imagegen import make_image

INTERRUPTED = ("The bot restarted while this image was being made, and the request may or may not have "
               "reached the image service, so I did not send it again. You were not charged")
FAILURE_TITLE = "No image this time"


def age_stored_tokens(database_path, seconds: float) -> None:
    """Make every stored job's interaction ``seconds`` older, as if the bot had been down that long.

    The bot decides whether an interaction token still works from ``jobs.interaction_created_at``
    (saved when the job was accepted), not by asking Discord, and the fake's ``age_interaction``
    only moves the fake's own clock; so both are aged. The bot is stopped, so nothing else writes.
    """
    with sqlite3.connect(database_path) as conn:
        conn.execute("UPDATE jobs SET interaction_created_at = interaction_created_at - ?", (seconds,))
    conn.close()


async def generation_in_flight(running, gptproto, count: int = 1) -> None:
    """Wait until the job runs and its generation request has reached the fake API (which is slow)."""
    await wait_job_state(running.db, "running", 5)
    while True:
        if len(gptproto.generation_requests()) >= count:
            return
        await asyncio.sleep(0.01)


async def start_edit(discord_fake, prompt: str = "make it snow"):
    """An /edit of a fresh PNG attachment by the default member."""
    image = discord_fake.add_attachment(make_image(256, 256, fmt="png"), "photo.png")
    return await discord_fake.slash("edit", {"prompt": prompt}, attachments={"image": image},
                                    user_id=discord_fake.member_id)


async def test_pending_prediction_is_delivered_once_after_a_restart(start_bot, discord_fake, gptproto, log_records,
                                                                    quick_polls):
    """A prediction pending at a stop is polled again after the restart and delivered exactly once, submitted once."""
    running = await start_bot()
    gptproto.prediction_duration = 1.0
    interaction = await start_edit(discord_fake)
    submitted = await wait_job_state(running.db, "submitted", 5)
    await running.stop()
    prediction = gptproto.prediction(submitted["prediction_id"])
    assert prediction.status != "completed", "the prediction was still pending when the bot stopped"
    assert not has_files(interaction)
    polls_before = len(gptproto.poll_requests())

    running = await start_bot()
    await interaction.wait_for(has_files, timeout=10)
    (job,) = await wait_jobs_finished(running.db)
    assert (job["id"], job["state"], job["images_reserved"]) == (submitted["id"], "done", 1)
    assert job["prediction_id"] == prediction.id
    assert len(gptproto.edit_requests()) == 1, "the edit was submitted exactly once"
    assert len(gptproto.poll_requests()) > polls_before, "the new bot polled the same prediction"
    assert posted_images(discord_fake) == [interaction.original()], "delivered exactly once"
    assert any("polls prediction" in r.getMessage() and job["id"] in r.getMessage() for r in log_records.records)


async def test_restarting_after_delivery_sends_nothing_again(start_bot, discord_fake, gptproto, quick_polls):
    """Once a resumed job is delivered, further restarts neither submit, poll nor post it again."""
    running = await start_bot()
    gptproto.prediction_duration = 0.8
    interaction = await start_edit(discord_fake)
    await wait_job_state(running.db, "submitted", 5)
    await running.stop()
    running = await start_bot()
    await interaction.wait_for(has_files, timeout=10)
    await wait_jobs_finished(running.db)
    seen = len(gptproto.requests)
    await running.stop()

    running = await start_bot()  # recovery runs in setup_hook, before start_bot returns
    assert not running.bot.jobs._side_tasks, "nothing left to resume"
    assert len(gptproto.requests) == seen
    assert len(gptproto.edit_requests()) == 1
    assert len(posted_images(discord_fake)) == 1


async def test_prediction_finished_after_the_token_expired_goes_to_the_channel(
        start_bot, discord_fake, gptproto, database_path, quick_polls):
    """A prediction resumed after the 15-minute token expired is posted once in the channel, mentioning the member."""
    running = await start_bot()
    gptproto.prediction_duration = 1.0
    interaction = await start_edit(discord_fake, "a sunset")
    submitted = await wait_job_state(running.db, "submitted", 5)
    await running.stop()
    discord_fake.age_interaction(interaction, 16 * 60)
    age_stored_tokens(database_path, 16 * 60)

    running = await start_bot()
    (job,) = await wait_jobs_finished(running.db)
    assert (job["id"], job["state"], job["images_reserved"]) == (submitted["id"], "done", 1)
    (posted,) = posted_images(discord_fake)
    assert posted in discord_fake.channel_messages[discord_fake.channel_id]
    assert posted.content.startswith(f"<@{discord_fake.member_id}>")
    assert discord_fake.member_id in posted.mentions
    assert len(posted.attachments) == 1
    assert "a sunset" in posted.embeds[0]["description"]
    assert any(c.startswith("img:reroll:") for c in posted.custom_ids())
    assert not has_files(interaction), "the dead interaction got nothing"
    assert len(gptproto.edit_requests()) == 1


async def test_generation_cut_off_by_a_restart_is_interrupted_and_refunded(start_bot, discord_fake, gptproto):
    """A synchronous generation cut off by a restart is not resent: the member is told it was interrupted; refunded."""
    running = await start_bot()
    gptproto.latency = 5
    interaction = await discord_fake.slash("generate", {"prompt": "a slow castle"})
    await asyncio.wait_for(generation_in_flight(running, gptproto), 5)
    await running.stop()

    running = await start_bot()
    await interaction.wait_for(lambda i: has_embed_title(i, FAILURE_TITLE), timeout=5)
    text = interaction.original().embeds[0]["description"]
    assert text.startswith(INTERRUPTED)
    (job,) = await wait_jobs_finished(running.db)
    assert (job["state"], job["images_reserved"], job["images_delivered"]) == ("interrupted", 0, 0)
    assert len(gptproto.generation_requests()) == 1, "the generation was never sent again"
    assert posted_images(discord_fake) == []


async def test_interrupted_generation_with_an_expired_token_is_told_in_the_channel(
        start_bot, discord_fake, gptproto, database_path):
    """When the cut-off job's token has expired too, the member is told in the channel with a mention, and refunded."""
    running = await start_bot()
    gptproto.latency = 5
    interaction = await discord_fake.slash("generate", {"prompt": "a slow castle"}, user_id=discord_fake.member_id)
    await asyncio.wait_for(generation_in_flight(running, gptproto), 5)
    await running.stop()
    discord_fake.age_interaction(interaction, 16 * 60)
    age_stored_tokens(database_path, 16 * 60)

    running = await start_bot()
    channel = discord_fake.channel_messages.setdefault(discord_fake.channel_id, [])
    await discord_fake.wait_for(lambda f: bool(channel), timeout=5)
    (told,) = channel
    assert told.content == f"<@{discord_fake.member_id}>" and discord_fake.member_id in told.mentions
    assert told.embeds[0]["title"] == FAILURE_TITLE and told.embeds[0]["description"].startswith(INTERRUPTED)
    (job,) = await wait_jobs_finished(running.db)
    assert (job["state"], job["images_reserved"]) == ("interrupted", 0)
    assert len(gptproto.generation_requests()) == 1


async def test_queued_job_runs_after_a_restart_and_the_running_one_is_not_resent(start_bot, discord_fake, gptproto):
    """With one slot, a job queued at the restart runs afterwards, once; the one cut off is interrupted, not resent."""
    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    gptproto.latency = 5
    first = await discord_fake.slash("generate", {"prompt": "first"}, user_id=discord_fake.member_id)
    second = await discord_fake.slash("generate", {"prompt": "second"}, user_id=discord_fake.other_member_id)
    await asyncio.wait_for(generation_in_flight(running, gptproto), 5)
    await second.wait_response()
    await running.stop()

    gptproto.latency = 0.1
    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    await second.wait_for(has_files, timeout=10)
    await first.wait_for(lambda i: has_embed_title(i, FAILURE_TITLE), timeout=5)
    rows = await wait_jobs_finished(running.db)
    assert [(r["user_id"], r["state"], r["images_reserved"]) for r in rows] == [
        (discord_fake.member_id, "interrupted", 0), (discord_fake.other_member_id, "done", 1)]
    assert [r.json["prompt"] for r in gptproto.generation_requests()] == ["first", "second"]
    assert posted_images(discord_fake) == [second.original()]


def stop_before_marking_done(running) -> asyncio.Event:
    """Make the bot hang right after posting a result, before the job is marked done (as if it stopped there).

    The returned event is set once the bot got there; ``running.stop()`` then cancels it at that point.
    """
    posted = asyncio.Event()

    async def stopped_before_finish(*args, **kwargs):
        posted.set()
        await asyncio.Event().wait()

    running.db.jobs.finish = stopped_before_finish
    return posted


async def test_stop_after_posting_before_marking_done_keeps_the_posted_image(start_bot, discord_fake, gptproto):
    """A generation whose image was posted just before the bot stopped is not made 'interrupted' by the restart."""
    running = await start_bot()
    posted = stop_before_marking_done(running)
    interaction = await discord_fake.slash("generate", {"prompt": "a lighthouse"})
    await asyncio.wait_for(posted.wait(), 10)
    assert has_files(interaction)
    await running.stop()

    running = await start_bot()
    assert has_files(interaction), "the image the member already saw is still there"
    assert not has_embed_title(interaction, FAILURE_TITLE)
    (job,) = await running.db.fetchall("SELECT * FROM jobs")
    assert (job["state"], job["images_reserved"]) == ("done", 1), "the member got the image: done and charged"
    assert len(gptproto.generation_requests()) == 1
    assert posted_images(discord_fake) == [interaction.original()]


async def test_result_posted_to_the_channel_before_a_stop_is_not_posted_again(
        start_bot, discord_fake, gptproto, database_path, quick_polls):
    """An edit whose result went to the channel (dead token) just before a stop is not posted a second time after it."""
    running = await start_bot()
    gptproto.prediction_duration = 0.3
    interaction = await start_edit(discord_fake, "a harbour")
    await wait_job_state(running.db, "submitted", 5)
    discord_fake.age_interaction(interaction, 16 * 60)  # Discord now refuses the token: delivery goes to the channel
    posted = stop_before_marking_done(running)
    await asyncio.wait_for(posted.wait(), 10)
    assert len(posted_images(discord_fake)) == 1
    await running.stop()
    age_stored_tokens(database_path, 16 * 60)

    running = await start_bot()
    (job,) = await wait_jobs_finished(running.db)
    assert len(posted_images(discord_fake)) == 1, "the result was posted exactly once"
    assert [m for m in discord_fake.channel_messages[discord_fake.channel_id] if not m.attachments] == [], \
        "no 'interrupted' notice after the image"
    assert (job["state"], job["images_reserved"]) == ("done", 1)
    assert len(gptproto.edit_requests()) == 1
