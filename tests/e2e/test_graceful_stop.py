"""A graceful stop: SIGTERM (``docker stop``) or SIGINT refuse new work with one sentence, let uploads
in progress finish for a few seconds, leave everything else in the database, and exit 0 in time.

The first test runs ``python -m bot`` as its own process, as Docker does; the others drive
``ImageBot.graceful_stop`` (what the signal handler calls) in the test's loop, where a job can be
held mid-upload.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time

import pytest

from bot.health import health_of
from tests.e2e.conftest import (
    API_KEY,
    DISCORD_TOKEN,
    ephemeral_text,
    has_files,
    modal_inputs,
    posted_images,
    wait_job_state,
    wait_jobs_finished,
    wait_refusal,
)
from tests.e2e.test_process_kill import bot_env, edit_until_submitted, job_states, spawn_bot, stop_bot, wait_until
from tests.fakes.discord import find_custom_id

RESTARTING = "I'm restarting for an update; try again in a minute."


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_sigterm_mid_edit_exits_0_in_time_and_the_restart_delivers_once(discord_fake, gptproto, tmp_path):
    """SIGTERM while an edit is being polled: exit 0 well within 10 s; the next start delivers it exactly once."""
    database = tmp_path / "bot.db"
    env = bot_env(discord_fake, gptproto, database)
    log_path = tmp_path / "bot.log"
    gptproto.prediction_duration = 4.0

    bot = await spawn_bot(env, log_path)
    try:
        interaction = await edit_until_submitted(discord_fake, database)
        sent = time.monotonic()
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 10)
        took = time.monotonic() - sent
        assert bot.returncode == 0, log_path.read_text()
        assert took < 10, f"stopped in {took:.1f} s, Docker kills at 10 s"
        assert not has_files(interaction), "nothing was delivered before the stop"
        assert [s for s, _ in job_states(database)] == ["submitted"], "the job waits in the database"

        bot = await spawn_bot(env, log_path)
        await interaction.wait_for(has_files, timeout=30)
        await wait_until(lambda: [s for s, _ in job_states(database)] == ["done"], 10, "job done")
    finally:
        await stop_bot(bot)
    assert bot.returncode == 0, "the second process stopped cleanly too"
    assert len(gptproto.edit_requests()) == 1, "the edit was submitted exactly once"
    delivered = [m for m in discord_fake.messages.values() if m.attachments and not m.deleted]
    assert len(delivered) == 1, "the result was posted exactly once"
    log_text = log_path.read_text()
    assert "SIGTERM received: stopping" in log_text and "recovery: job" in log_text
    assert log_text.count("Stopped; the database is closed") == 2
    assert "Traceback" not in log_text
    assert API_KEY not in log_text and DISCORD_TOKEN not in log_text


def hold_uploads(running) -> tuple[asyncio.Event, asyncio.Event]:
    """Hold every post of images until ``release`` is set; ``holding`` is set once one waits."""
    holding, release = asyncio.Event(), asyncio.Event()
    post = running.bot.jobs.delivery.post

    async def held_post(*args, **kwargs):
        holding.set()
        await release.wait()
        return await post(*args, **kwargs)

    running.bot.jobs.delivery.post = held_post
    return holding, release


async def test_while_stopping_commands_buttons_and_forms_are_refused_and_the_upload_finishes(
        start_bot, discord_fake, gptproto):
    """During the stop a command, a Reroll and an Edit form get one private sentence; the upload in progress lands."""
    running = await start_bot()
    first = await discord_fake.slash("generate", {"prompt": "a red kite"}, user_id=discord_fake.member_id)
    await first.wait_for(has_files, timeout=10)
    await wait_jobs_finished(running.db)
    result = first.original()
    opened = await discord_fake.click(result.id, find_custom_id(result, r"^img:edit:"),
                                      user_id=discord_fake.member_id)
    await opened.wait_response()
    modal_id, (prompt_id,) = modal_inputs(opened)

    holding, release = hold_uploads(running)
    uploading = await discord_fake.slash("generate", {"prompt": "a slow upload"}, user_id=discord_fake.other_member_id)
    await asyncio.wait_for(holding.wait(), 10)
    stopping = asyncio.create_task(running.bot.graceful_stop(grace=5))
    await asyncio.sleep(0)
    assert running.bot.stopping
    assert health_of(running.bot) == (False, {"status": "unavailable", "reason": "stopping"})

    command = await discord_fake.slash("generate", {"prompt": "too late"})
    reroll = await discord_fake.click(result.id, find_custom_id(result, r"^img:reroll:"),
                                      user_id=discord_fake.member_id)
    form = await discord_fake.submit_modal(modal_id, {prompt_id: "add a second kite"})
    for refused in (command, reroll, form):
        assert await wait_refusal(refused) == RESTARTING
        assert refused.failures == [], "answered in time, not 'This interaction failed'"
    assert not stopping.done(), "the stop waits for the upload in progress"

    release.set()
    await asyncio.wait_for(stopping, 10)
    assert has_files(uploading), "the upload in progress was finished"
    assert running.bot.is_closed()
    rows = await running.db.fetchall("SELECT state FROM jobs ORDER BY created_at")
    assert [r["state"] for r in rows] == ["done", "done"], "nothing new was accepted while stopping"
    assert len(gptproto.generation_requests()) == 2
    assert ephemeral_text(command) == RESTARTING


async def test_an_upload_that_does_not_finish_in_the_grace_is_left_for_the_next_start(start_bot, discord_fake):
    """The grace is bounded: a stuck upload does not hold the stop; its job stays in the database."""
    running = await start_bot()
    holding, _ = hold_uploads(running)
    await discord_fake.slash("generate", {"prompt": "stuck"})
    await asyncio.wait_for(holding.wait(), 10)
    started = time.monotonic()
    await asyncio.wait_for(running.bot.graceful_stop(grace=0.5), 5)
    assert time.monotonic() - started < 3
    row = await wait_job_state(running.db, "delivering", 1)
    assert row is not None, "the job waits in the database for the next start"
    assert posted_images(discord_fake) == []


async def test_queued_jobs_do_not_start_during_the_stop(start_bot, discord_fake, gptproto):
    """A slot that frees during the stop starts no queued job; the next start runs it.

    One slot: "first" is uploading (a posting job holds no slot), "second" is at the API when
    the stop begins, "third" waits in the queue. "second" answers and is posted during the grace,
    which frees the slot: "third" must not be sent to the API before the next start.
    """
    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    holding, release = hold_uploads(running)
    gptproto.latency = lambda request: 0.6 if request.json.get("prompt") == "second" else 0.0
    first = await discord_fake.slash("generate", {"prompt": "first"}, user_id=discord_fake.member_id)
    await asyncio.wait_for(holding.wait(), 10)
    second = await discord_fake.slash("generate", {"prompt": "second"}, user_id=discord_fake.other_member_id)
    third = await discord_fake.slash("generate", {"prompt": "third"}, user_id=discord_fake.admin_id)
    await third.wait_response()
    await wait_until(lambda: len(gptproto.generation_requests()) == 2, 10, "the second job to reach the API")
    stopping = asyncio.create_task(running.bot.graceful_stop(grace=5))
    # "second" answers during the stop and waits to post beside "first": the slot is free now.
    await wait_until(lambda: len(running.bot.jobs._delivering) == 2, 10, "the second job to start posting")
    await asyncio.sleep(0.1)
    release.set()
    await asyncio.wait_for(stopping, 10)
    assert has_files(first) and has_files(second), "both uploads finished within the grace"
    assert [r.json["prompt"] for r in gptproto.generation_requests()] == ["first", "second"]
    await running.stop()

    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    await third.wait_for(has_files, timeout=10)
    assert [r.json["prompt"] for r in gptproto.generation_requests()] == ["first", "second", "third"]
