"""The audit log's promise under a real kill: one entry per job, even when ``python -m bot`` dies mid-post.

The bot process is killed with SIGKILL at the moment the fake Discord handles the audit entry's
post, either after applying it (the message is out, the bot never learns its id) or instead of
applying it (nothing is out). After a restart on the same database there is exactly one entry for
the job in the log channel.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from tests.e2e.conftest import has_files
from tests.e2e.test_admin import admin, audit_posts
from tests.e2e.test_process_kill import bot_env, spawn_bot, stop_bot, wait_until
from tests.fakes.hooks import DROP

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


@pytest.mark.parametrize("when", ["after_the_post_is_applied", "instead_of_the_post"])
async def test_one_audit_entry_per_job_across_a_kill_mid_post(when, discord_fake, gptproto, tmp_path):
    """Killed while posting an audit entry, the restarted bot neither loses nor repeats it."""
    database = tmp_path / "bot.db"
    env = bot_env(discord_fake, gptproto, database, PREVIEW_IMAGES="0")
    log_path = tmp_path / "bot.log"
    log_channel = discord_fake.add_channel("bot-log")
    bot = await spawn_bot(env, log_path)
    killed: list[str] = []

    def audit_post(event):
        request = event["request"]
        if request.method != "POST" or request.path != f"/channels/{log_channel}/messages" or killed:
            return None
        embeds = (request.body or {}).get("embeds") or [{}] if isinstance(request.body, dict) else [{}]
        if not (embeds[0].get("footer") or {}).get("text", "").startswith("job "):
            return None  # not an audit entry (the check message of /settings log, say)
        killed.append(request.path)
        os.kill(bot.pid, signal.SIGKILL)
        return DROP if when == "instead_of_the_post" else None

    try:
        await discord_fake.wait_ready(timeout=20)
        await wait_until(lambda: discord_fake.guild_id in discord_fake.synced_commands, 20, "command sync")
        await admin(discord_fake, "settings", "log", {"channel": log_channel})
        remove = discord_fake.on_event("request" if when == "instead_of_the_post" else "response", audit_post)
        made = await discord_fake.slash("generate", {"prompt": "a lighthouse in a storm"})
        await made.wait_for(has_files, timeout=20)
        await wait_until(lambda: bool(killed), 20, "the kill during the audit post")
        await asyncio.wait_for(bot.wait(), 10)
        remove()
        posted_before_restart = len(audit_posts(discord_fake, log_channel))
        assert posted_before_restart == (1 if when == "after_the_post_is_applied" else 0)

        bot = await spawn_bot(env, log_path)
        await discord_fake.wait_ready(timeout=20)
        await wait_until(lambda: len(audit_posts(discord_fake, log_channel)) >= 1, 20, "the entry after the restart")
        await asyncio.sleep(1.5)  # time enough for a wrong second post to show
    finally:
        await stop_bot(bot)

    entries = audit_posts(discord_fake, log_channel)
    assert len(entries) == 1, [e.embeds[0].get("footer") for e in entries]
    assert entries[0].embeds[0]["title"].startswith("Delivered")
    assert len(gptproto.generation_requests()) == 1, "the job itself ran once"
