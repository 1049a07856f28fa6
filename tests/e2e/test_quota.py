"""Quotas end to end: refusals before any API call, refunds, ``/quota`` for members and admins."""

from __future__ import annotations

import asyncio
import re

from tests.e2e.conftest import ephemeral_text, has_embed_title, has_files, wait_jobs_finished, wait_refusal

MANAGE_GUILD = 1 << 5


def embed_fields(message_or_response: dict) -> dict[str, str]:
    """Name → value of the first embed of a callback's data."""
    embeds = message_or_response.get("embeds") or []
    return {f["name"]: f["value"] for f in embeds[0]["fields"]} if embeds else {}


async def test_over_the_limit_is_refused_privately_with_reset_time(start_bot, discord_fake, gptproto):
    """Past the member's limit, /generate is refused privately with use, limit and reset, and no API call."""
    running = await start_bot(USER_DAILY_IMAGES="1")
    first = await discord_fake.slash("generate", {"prompt": "a fox"})
    await first.wait_for(has_files, timeout=15)
    second = await discord_fake.slash("generate", {"prompt": "another fox"})
    text = await wait_refusal(second)
    assert "your daily limit in this server" in text
    assert "1 of 1 images used today" in text
    assert re.search(r"<t:\d+:R>", text)
    assert len(gptproto.generation_requests()) == 1
    assert len(await running.db.fetchall("SELECT id FROM jobs")) == 1


async def test_server_limit_names_the_server(start_bot, discord_fake, gptproto):
    """When the server's limit stops a member, the refusal says it is the server's."""
    await start_bot(GUILD_DAILY_IMAGES="1")
    first = await discord_fake.slash("generate", {"prompt": "a fox"}, user_id=discord_fake.member_id)
    await first.wait_for(has_files, timeout=15)
    other = await discord_fake.slash("generate", {"prompt": "a fox"}, user_id=discord_fake.other_member_id)
    assert "this server's daily limit" in await wait_refusal(other)


async def test_failed_job_refunds_so_the_next_request_is_accepted(start_bot, discord_fake, gptproto):
    """A content-policy refusal gives the image back: with a limit of 1, the next request still runs."""
    await start_bot(USER_DAILY_IMAGES="1")
    gptproto.fail_next("content_policy", route="generate")
    refused = await discord_fake.slash("generate", {"prompt": "refused"})
    await refused.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=15)
    accepted = await discord_fake.slash("generate", {"prompt": "fine"})
    await accepted.wait_for(has_files, timeout=15)


async def test_hundred_concurrent_requests_accept_exactly_the_quota(start_bot, discord_fake, gptproto):
    """One hundred simultaneous /generate from one member with 5 images left: 5 run, 95 are refused."""
    running = await start_bot(USER_DAILY_IMAGES="5", MAX_JOBS_PER_USER="100", MAX_CONCURRENT_JOBS="4")
    interactions = await asyncio.gather(*(
        discord_fake.slash("generate", {"prompt": f"cat {i}"}) for i in range(100)))
    await asyncio.gather(*(i.wait_for(lambda i: ephemeral_text(i) is not None or has_files(i), timeout=30)
                           for i in interactions))
    refused = [i for i in interactions if (ephemeral_text(i) or "").startswith("That would go over")]
    accepted = [i for i in interactions if ephemeral_text(i) is None]
    assert (len(accepted), len(refused)) == (5, 95)
    assert all(i.original().deleted for i in refused), "no 'thinking…' message is left behind"
    assert len(gptproto.generation_requests()) == 5
    rows = await wait_jobs_finished(running.db)
    assert sum(r["images_reserved"] for r in rows) == 5


async def test_quota_show_for_a_member(start_bot, discord_fake, gptproto):
    """/quota show tells a member privately what they used, what is left and when it resets."""
    await start_bot(USER_DAILY_IMAGES="10")
    done = await discord_fake.slash("generate", {"prompt": "a fox", "n": 2})
    await done.wait_for(has_files, timeout=15)
    shown = await discord_fake.slash("quota", {}, subcommand="show")
    response = await shown.wait_response()
    assert response["data"]["flags"] & 64
    fields = embed_fields(response["data"])
    assert fields["Used today"] == "2"
    assert fields["Left today"] == "8"
    assert re.search(r"<t:\d+:R>", fields["Resets"])


async def test_admin_override_applies_to_the_next_request(start_bot, discord_fake, gptproto):
    """An admin's member override is stored and applies to that member's next request."""
    await start_bot(USER_DAILY_IMAGES="20")
    set_it = await discord_fake.slash(
        "quota", {"limit": "3", "member": discord_fake.member_id}, subcommand="set",
        user_id=discord_fake.admin_id, permissions=MANAGE_GUILD)
    response = await set_it.wait_response()
    assert "is now 3 images per day" in response["data"]["content"]
    job = await discord_fake.slash("generate", {"prompt": "a fox"}, user_id=discord_fake.member_id)
    await job.wait_for(has_files, timeout=15)
    fields = {f["name"]: f["value"] for f in job.original().embeds[0]["fields"]}
    assert fields["Your quota"] == "2 of 3 images left today"


async def test_members_cannot_set_limits_even_if_the_command_is_visible(start_bot, discord_fake):
    """/quota set checks Manage Server when it runs, not only through default permissions."""
    running = await start_bot()
    attempt = await discord_fake.slash(
        "quota", {"limit": "unlimited", "member": discord_fake.member_id}, subcommand="set",
        user_id=discord_fake.member_id, permissions=0)
    await attempt.wait_response()
    assert "Only server admins" in (ephemeral_text(attempt) or "")
    assert await running.db.quotas.list_overrides(discord_fake.guild_id) == []


async def test_admin_sees_server_stats(start_bot, discord_fake, gptproto):
    """/quota stats shows an admin today's images and tokens and the top members."""
    await start_bot()
    done = await discord_fake.slash("generate", {"prompt": "a fox"}, user_id=discord_fake.member_id)
    await done.wait_for(has_files, timeout=15)
    stats = await discord_fake.slash("quota", {}, subcommand="stats", user_id=discord_fake.admin_id,
                                     permissions=MANAGE_GUILD)
    response = await stats.wait_response()
    fields = embed_fields(response["data"])
    assert fields["Today"].startswith("1 image, 1 job")  # plurals by the catalogue, not "1 images"
    assert f"<@{discord_fake.member_id}>: 1 image" in fields["Top members (7 days)"]


async def test_edit_over_the_limit_is_refused_before_downloading_anything(start_bot, discord_fake, gptproto):
    """/edit checks the quota before downloading the attachments: an over-limit member waits for nothing."""
    from tests.fakes.imagegen import make_image

    running = await start_bot(USER_DAILY_IMAGES="0")
    photo = discord_fake.add_attachment(make_image(128, 128, fmt="png"), "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "snow", "image": photo["id"]},
                                           attachments={"image": photo})
    assert "switched off" in await wait_refusal(interaction)
    assert not [path for _, path in discord_fake.requests if path.startswith("/attachments/")]
    assert gptproto.edit_requests() == []
    assert await running.db.fetchall("SELECT id FROM jobs") == []
