"""The queue end to end: MAX_CONCURRENT_JOBS, positions shown and updated, cancelling."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import ephemeral_text, has_files, wait_jobs_finished, wait_refusal

MANAGE_GUILD = 1 << 5


def title(interaction) -> str | None:
    """The title of the first embed on the interaction's message."""
    message = interaction.original()
    return message.embeds[0].get("title") if message and message.embeds else None


def titles_seen(interaction) -> list[str]:
    """Every embed title the interaction's message has shown, in order."""
    message = interaction.original()
    return [e["embeds"][0].get("title") for e in message.edits if e.get("embeds")]


def cancel_id(interaction) -> str:
    """The custom id of the Cancel button on the interaction's message."""
    (custom_id,) = [c for c in interaction.original().custom_ids() if c.startswith("img:cancel:")]
    return custom_id


async def one_slot_bot(start_bot, gptproto, *, latency: float):
    """A bot with one worker that shows progress and queue places at once, on an API taking ``latency`` s."""
    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    running.bot.jobs.delivery.progress_interval = 0.01
    running.bot.jobs.delivery.first_edit_after = 0.0
    running.bot.jobs.position_interval = 0.0
    gptproto.latency = latency
    return running


async def test_waiting_jobs_show_their_place_and_move_up(start_bot, discord_fake, gptproto):
    """With one slot, later jobs show their queue position, updated as the queue moves, first come first served."""
    await one_slot_bot(start_bot, gptproto, latency=0.4)
    first = await discord_fake.slash("generate", {"prompt": "one"}, user_id=discord_fake.member_id)
    await first.wait_response()
    second = await discord_fake.slash("generate", {"prompt": "two"}, user_id=discord_fake.other_member_id)
    third = await discord_fake.slash("generate", {"prompt": "three"}, user_id=discord_fake.admin_id)
    await third.wait_for(lambda i: title(i) == "Waiting in the queue: position 2", timeout=5)
    assert title(second) == "Waiting in the queue: position 1"
    for interaction in (first, second, third):
        await interaction.wait_for(has_files, timeout=15)
    assert "Waiting in the queue: position 1" in titles_seen(third), "the third moved up"
    prompts = [r.json["prompt"] for r in gptproto.generation_requests()]
    assert prompts == ["one", "two", "three"]
    assert gptproto.max_in_flight == 1


async def test_member_cancels_own_queued_job_and_is_not_charged(start_bot, discord_fake, gptproto):
    """A member cancels their own waiting job: it never reaches the API and is refunded."""
    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    running.bot.jobs.delivery.progress_interval = 0.01
    running.bot.jobs.delivery.first_edit_after = 0.0
    gptproto.latency = 0.5
    first = await discord_fake.slash("generate", {"prompt": "running"}, user_id=discord_fake.other_member_id)
    await first.wait_response()
    waiting = await discord_fake.slash("generate", {"prompt": "cancel me"}, user_id=discord_fake.member_id)
    await waiting.wait_for(lambda i: (title(i) or "").startswith("Waiting in the queue"), timeout=5)

    stranger = await discord_fake.click(waiting.original().id, cancel_id(waiting), user_id=discord_fake.other_member_id)
    await stranger.wait_response()
    assert "Only the member who asked" in (ephemeral_text(stranger) or "")

    owner = await discord_fake.click(waiting.original().id, cancel_id(waiting), user_id=discord_fake.member_id)
    await owner.wait_response()
    await waiting.wait_for(lambda i: title(i) == "No image this time", timeout=5)
    assert "Cancelled" in waiting.original().embeds[0]["description"]
    await first.wait_for(has_files, timeout=15)
    rows = {r["request"]: r for r in await wait_jobs_finished(running.db)}
    cancelled = next(r for k, r in rows.items() if "cancel me" in k)
    assert (cancelled["state"], cancelled["images_reserved"]) == ("cancelled", 0)
    assert [r.json["prompt"] for r in gptproto.generation_requests()] == ["running"]


async def test_admin_can_cancel_any_queued_job(start_bot, discord_fake, gptproto):
    """An admin (Manage Server) may cancel another member's waiting job."""
    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    running.bot.jobs.delivery.progress_interval = 0.01
    running.bot.jobs.delivery.first_edit_after = 0.0
    gptproto.latency = 0.5
    first = await discord_fake.slash("generate", {"prompt": "running"}, user_id=discord_fake.other_member_id)
    await first.wait_response()
    waiting = await discord_fake.slash("generate", {"prompt": "queued"}, user_id=discord_fake.member_id)
    await waiting.wait_for(lambda i: (title(i) or "").startswith("Waiting in the queue"), timeout=5)
    admin = await discord_fake.click(waiting.original().id, cancel_id(waiting), user_id=discord_fake.admin_id,
                                     permissions=MANAGE_GUILD)
    await admin.wait_response()
    await waiting.wait_for(lambda i: title(i) == "No image this time", timeout=5)


async def test_member_job_limit_counts_queued_and_running(start_bot, discord_fake, gptproto):
    """MAX_JOBS_PER_USER refuses a third job privately and says how many are running."""
    running = await start_bot(MAX_JOBS_PER_USER="2", MAX_CONCURRENT_JOBS="1")
    gptproto.latency = 0.5
    a = await discord_fake.slash("generate", {"prompt": "a"})
    b = await discord_fake.slash("generate", {"prompt": "b"})
    c = await discord_fake.slash("generate", {"prompt": "c"})
    assert "You already have 2 jobs queued or running (the limit is 2)" in await wait_refusal(c)
    for interaction in (a, b):
        await interaction.wait_for(has_files, timeout=15)
    assert len(await wait_jobs_finished(running.db)) == 2


async def test_a_job_posting_its_images_frees_its_slot_for_the_next(start_bot, discord_fake, gptproto):
    """MAX_CONCURRENT_JOBS counts API calls: while one job's upload is slow, the next goes to the API."""
    running = await start_bot(MAX_CONCURRENT_JOBS="1")
    release = asyncio.Event()
    post = running.bot.jobs.delivery.post

    async def slow_first_post(job, *args, **kwargs):
        if "one" in job.options.prompt:
            await release.wait()
        return await post(job, *args, **kwargs)

    running.bot.jobs.delivery.post = slow_first_post
    first = await discord_fake.slash("generate", {"prompt": "one"}, user_id=discord_fake.member_id)
    second = await discord_fake.slash("generate", {"prompt": "two"}, user_id=discord_fake.other_member_id)
    await second.wait_for(has_files, timeout=10)
    assert not has_files(first), "the first is still posting"
    release.set()
    await first.wait_for(has_files, timeout=10)
    assert gptproto.max_in_flight == 1
    assert [r["state"] for r in await wait_jobs_finished(running.db)] == ["done", "done"]


async def test_the_bot_keeps_nothing_per_message_for_its_buttons(start_bot, discord_fake, gptproto):
    """Result and queue buttons are answered from their ``custom_id`` (after a restart too), so
    the bot keeps no view per message: discord.py would keep each one, with no timeout, for as
    long as the bot runs. The buttons still work in the process that posted them."""
    running = await one_slot_bot(start_bot, gptproto, latency=0.3)
    first = await discord_fake.slash("generate", {"prompt": "one"}, user_id=discord_fake.member_id)
    await first.wait_response()
    second = await discord_fake.slash("generate", {"prompt": "two"}, user_id=discord_fake.other_member_id)
    await second.wait_for(lambda i: title(i) == "Waiting in the queue: position 1", timeout=5)
    for interaction in (first, second):
        await interaction.wait_for(has_files, timeout=15)
    await wait_jobs_finished(running.db)
    assert running.bot.persistent_views == []

    message = second.original()
    (reroll_id,) = [c for c in message.custom_ids() if c.startswith("img:reroll:")]
    reroll = await discord_fake.click(message.id, reroll_id, user_id=discord_fake.other_member_id)
    await reroll.wait_for(has_files, timeout=10)
    assert len(gptproto.generation_requests()) == 3
    assert len(reroll.responses) == 1, "answered once"
    assert running.bot.persistent_views == []
