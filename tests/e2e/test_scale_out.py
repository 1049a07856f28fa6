"""Issue 14's "done when": two ``python -m bot`` processes, shards 0 and 1 of 2, share one
PostgreSQL database. Each serves the guilds of its shard; one is killed with SIGKILL while an
edit is being polled, and the other takes the job over once its lease runs out and delivers it
exactly once, with one paid call in all."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import Database, JobRecord, JobState, Limits, ReplyTarget
from bot.storage.intake import Intake
from tests.e2e.conftest import API_KEY, DISCORD_TOKEN
from tests.e2e.test_process_kill import spawn_bot
from tests.fakes.discord_models import shard_of
from tests.fakes.imagegen import make_image

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

LEASE_S = 3
PREDICTION_S = 10.0
"""Long enough that the edit is still being predicted when the other process takes it over."""


async def jobs_of(url: str) -> list[dict[str, Any]]:
    """Every job's id, guild, state and holder, read by the test itself."""
    conn = await asyncpg.connect(url, timeout=5)
    try:
        rows = await conn.fetch("SELECT id, guild_id, state, lease_owner, prediction_id FROM jobs ORDER BY rowid")
    finally:
        await conn.close(timeout=5)
    return [dict(r) for r in rows]


def pid_of(owner: str | None) -> int | None:
    """The process id in a ``lease_owner`` (``host:pid:random``)."""
    return int(owner.split(":")[-2]) if owner else None


def uploads(discord_fake: Any) -> list[Any]:
    """Visible messages of the bot that carry files."""
    return [m for m in discord_fake.messages.values() if m.attachments and not m.deleted]


async def test_two_processes_share_the_shards_and_one_finishes_the_others_job(
        discord_fake, gptproto, postgres_url: str, tmp_path: Path) -> None:
    """Each process serves its shard's guild; after a SIGKILL mid-edit the survivor delivers the
    edit once, after the lease; one edit submitted in all; only shard 0 pushed the commands."""
    started = time.monotonic()
    guild = {n: discord_fake.add_guild(f"Shard {n}", shard=(n, 2)) for n in (0, 1)}
    assert all(shard_of(guild[n].id, 2) == n for n in (0, 1))
    gptproto.prediction_duration = PREDICTION_S
    base = {
        **{k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "GPTPROTO_API_KEY")},
        "DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": API_KEY, "GPTPROTO_BASE_URL": gptproto.base_url,
        "DISCORD_API_BASE_URL": discord_fake.rest_url, "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
        "DATABASE_URL": postgres_url, "SHARD_COUNT": "2", "JOB_LEASE_S": str(LEASE_S), "LOG_LEVEL": "INFO",
        "PREVIEW_IMAGES": "0",
    }
    base.pop("DEV_GUILD_ID", None)
    logs = {n: tmp_path / f"bot-shard-{n}.log" for n in (0, 1)}
    procs = {n: await spawn_bot({**base, "SHARD_IDS": str(n)}, logs[n]) for n in (0, 1)}
    try:
        await discord_fake.wait_for(lambda f: len(f._live_connections()) == 2 and None in f.synced_commands,
                                    30, what="both shards connected and the commands pushed")
        assert discord_fake.command_put_count == 1, "only the process of shard 0 pushes the commands"
        assert sorted(p["shard"] for p in discord_fake.identify_payloads) == [[0, 2], [1, 2]]

        # Commands in each guild are served by the process that runs its shard.
        first = await discord_fake.slash("generate", {"prompt": "shard zero"}, guild_id=guild[0].id)
        second = await discord_fake.slash("generate", {"prompt": "shard one"}, guild_id=guild[1].id)
        await first.wait_for(lambda i: bool(i.original() and i.original().attachments), timeout=20)
        await second.wait_for(lambda i: bool(i.original() and i.original().attachments), timeout=20)
        served = {row["guild_id"]: pid_of(row["lease_owner"]) for row in await jobs_of(postgres_url)}
        assert served == {guild[0].id: procs[0].pid, guild[1].id: procs[1].pid}

        # An edit in shard 1's guild; its process dies while the prediction is polled.
        image = discord_fake.add_attachment(make_image(256, 256, fmt="png"), "photo.png")
        edit = await discord_fake.slash("edit", {"prompt": "make it snow", "image": image["id"]},
                                        guild_id=guild[1].id, attachments={"image": image})

        async def submitted() -> dict[str, Any]:
            while True:
                rows = [r for r in await jobs_of(postgres_url) if r["state"] == "submitted"]
                if rows:
                    return rows[0]
                await asyncio.sleep(0.05)

        job = await asyncio.wait_for(submitted(), 20)
        assert pid_of(job["lease_owner"]) == procs[1].pid
        procs[1].send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        await asyncio.wait_for(procs[1].wait(), 10)
        assert not uploads_of(discord_fake, edit), "nothing was delivered before the kill"

        async def taken_over() -> None:
            while True:
                row = next(r for r in await jobs_of(postgres_url) if r["id"] == job["id"])
                if pid_of(row["lease_owner"]) == procs[0].pid:
                    return
                await asyncio.sleep(0.05)

        await asyncio.wait_for(taken_over(), LEASE_S + 10)
        takeover_s = time.monotonic() - killed_at
        await edit.wait_for(lambda i: bool(i.original() and i.original().attachments), timeout=30)
        delivered_s = time.monotonic() - killed_at

        async def finished() -> dict[str, Any]:  # the result is posted a moment before the job is done
            while True:
                row = next(r for r in await jobs_of(postgres_url) if r["id"] == job["id"])
                if row["state"] not in ("queued", "running", "submitted", "delivering"):
                    return row
                await asyncio.sleep(0.05)

        final = await asyncio.wait_for(finished(), 10)
        await asyncio.sleep(0.5)  # anything sent twice would arrive now
    finally:
        for proc in procs.values():
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(proc.wait(), 10)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()

    print(f"\nfailover: lease taken over {takeover_s:.1f} s after the SIGKILL (JOB_LEASE_S={LEASE_S}), "
          f"edit delivered {delivered_s:.1f} s after it; whole test {time.monotonic() - started:.1f} s")
    assert takeover_s >= LEASE_S - 1.5, "the job was not taken before its lease could have run out"
    assert final["state"] == "done"
    assert len(gptproto.edit_requests()) == 1, "one paid call: the edit was submitted once"
    assert len(uploads_of(discord_fake, edit)) == 1, "the edit's result was posted exactly once"
    assert len(uploads(discord_fake)) == 3, "two generations and one edit, each posted once"
    survivor_log = logs[0].read_text()
    assert f"recovery: job {job['id']} polls prediction" in survivor_log
    assert DISCORD_TOKEN not in survivor_log and API_KEY not in survivor_log
    assert discord_fake.internal_errors == []


def uploads_of(discord_fake: Any, interaction: Any) -> list[Any]:
    """The edit's result messages: its interaction message with files, or channel posts for it."""
    message = interaction.original()
    return [message] if message is not None and message.attachments and not message.deleted else []


async def test_a_process_takes_over_what_a_dead_one_left_with_the_rules_of_a_restart(
        start_bot, discord_fake, gptproto, postgres_url: str) -> None:
    """Rows a dead process held, their leases expired: a queued job runs and is posted once, a cut-off
    generation is refunded and reported, an untold notice is told, a request whose token died (so
    Discord cannot say whether it was acknowledged) is told lost in the channel; a job a live process
    holds is left alone."""
    roomy = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=100)
    dead = await Database.open(postgres_url, limits=roomy)
    dead.lease_owner, dead.lease_seconds = "dead-host:1:00000000", -5.0  # held, and already expired
    old = time.time() - 3600  # the interaction token died long ago: answers go to the channel
    reply = ReplyTarget(channel_id=discord_fake.channel_id, application_id=discord_fake.application_id,
                        interaction_id=1, token="dead-token", created_at=old)

    async def job(prompt: str, holder: Database = dead) -> JobRecord:
        return await holder.quotas.reserve(kind=JobKind.GENERATE, user_id=discord_fake.member_id,
                                           guild_id=discord_fake.guild_id, reply=reply,
                                           options=ImageOptions(model="gpt-image-1", prompt=prompt))

    try:
        queued = await job("queued when its process died")
        cut_off = await job("generating when its process died")
        await dead.jobs.mark_running(cut_off.id)
        untold = await job("failed, not told yet")
        await dead.jobs.fail(untold.id, error="boom", notice="Told by another process.")
        await dead.intake.add(Intake(job_id="fate-unknown", kind=JobKind.GENERATE,
                                     user_id=discord_fake.member_id, guild_id=discord_fake.guild_id,
                                     options=ImageOptions(model="gpt-image-1", prompt="x"), reply=reply,
                                     parent_job_id=None, created_at=old))
        alive = await Database.open(postgres_url, limits=roomy)
        alive.lease_owner, alive.lease_seconds = "live-host:2:11111111", 600.0
        held = await job("held by a live process", holder=alive)
        await alive.close()

        running = await start_bot(DATABASE_URL=postgres_url, JOB_LEASE_S="2")

        async def settled() -> dict[str, JobRecord]:
            while True:
                jobs = {j.id: await running.db.jobs.get(j.id) for j in (queued, cut_off, untold)}
                if all(not j.is_active and j.notice is None for j in jobs.values()):
                    return jobs
                await asyncio.sleep(0.05)

        jobs = await asyncio.wait_for(settled(), 20)
        assert jobs[queued.id].state is JobState.DONE and jobs[queued.id].images_delivered == 1
        assert jobs[cut_off.id].state is JobState.INTERRUPTED and jobs[cut_off.id].images_reserved == 0
        assert jobs[untold.id].state is JobState.FAILED
        assert await running.db.intake.pending() == []
        still = await running.db.jobs.get(held.id)
        assert still is not None and still.state is JobState.QUEUED
        posts = discord_fake.channel_messages.get(discord_fake.channel_id, [])
        assert len([m for m in posts if m.attachments]) == 1, "the queued job was posted once"
        told = [m for m in posts if any(e.get("title") == "No image this time" for e in m.embeds)]
        assert len(told) == 3 and any("Told by another process." in str(m.embeds) for m in told)
        (lost,) = [m for m in told if "was lost when the bot restarted" in str(m.embeds)]
        assert lost.content == f"<@{discord_fake.member_id}>" and discord_fake.member_id in lost.mentions
        assert f"<t:{int(old)}:f>" in lost.embeds[0]["description"]
        assert len(gptproto.generation_requests()) == 1, "only the queued job reached the API"
        owners = {r["id"]: r["lease_owner"] for r in await running.db.fetchall("SELECT id, lease_owner FROM jobs")}
        assert owners[queued.id] == running.db.lease_owner and owners[held.id] == "live-host:2:11111111"
    finally:
        await dead.close()
