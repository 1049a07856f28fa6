"""Recovery after a restart, against a real SQLite file and a Discord whose answers the test decides
(see ``harness``)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord
import pytest

from bot.gptproto.registry import JobKind
from bot.i18n import Msg
from bot.jobs import recovery as recovery_module
from bot.jobs.recovery import Recovery
from bot.storage import Database, JobState
from tests.unit.bot.jobs.harness import USER, ScriptedDelivery, http_error, intake, make_runner

# -- requests never stored as jobs ------------------------------------------------------------------


@pytest.mark.parametrize("env", [{"USER_DAILY_IMAGES": "0"}])
async def test_a_refused_request_stays_until_its_member_is_told(db: Database, env: dict[str, str]) -> None:
    """A request refused at recovery (its quota is gone) is discarded only once the member was told;
    while Discord cannot be reached it stays, for a later sweep."""
    runner = make_runner(db, **env)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    await db.intake.add(intake())
    delivery.reachable = False
    await Recovery(runner).run(everything=True)
    assert [i.job_id for i in await db.intake.pending()] == ["r1"], "not told, so not dropped"

    delivery.reachable = True
    await Recovery(runner).run(everything=True)
    assert await db.intake.pending() == []
    assert [job_id for job_id, _ in delivery.told] == ["r1"]
    assert await db.fetchall("SELECT id FROM jobs") == [], "refused: never a job"


async def test_a_request_older_than_its_token_is_told_lost_in_the_channel(db: Database) -> None:
    """A request whose token died while the bot was down may be showing "thinking…": Discord cannot
    say, so its member is told it was lost (with when they asked), and nothing is charged."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    old = intake(age=20 * 60)
    await db.intake.add(old)
    delivery.reachable = False
    await Recovery(runner).run(everything=True)
    assert [i.job_id for i in await db.intake.pending()] == ["r1"], "not told, so kept"

    delivery.reachable = True
    await Recovery(runner).run(everything=True)
    (told,) = delivery.told
    assert told[0] == "r1"
    assert told[1].description.startswith(
        f"Your request from <t:{int(old.created_at)}:f> was lost when the bot restarted, and nothing was charged")
    assert await db.intake.pending() == []
    assert await db.fetchall("SELECT id FROM jobs") == [], "never reserved"


@pytest.mark.parametrize("status, code", [(401, 50027), (404, 10015), (404, 10062)])
async def test_a_token_discord_refuses_is_told_lost_too(db: Database, status: int, code: int) -> None:
    """Discord refusing the token itself (not "no such message") leaves the request's fate unknown."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    delivery.fetch_error = http_error(discord.NotFound if status == 404 else discord.HTTPException, status, code)
    await db.intake.add(intake())
    await Recovery(runner).run(everything=True)
    assert [job_id for job_id, _ in delivery.told] == ["r1"]
    assert await db.intake.pending() == []


async def test_a_request_discord_never_saw_answered_is_dropped_silently(db: Database) -> None:
    """With a working token, Discord saying the interaction has no message means the member saw
    Discord's own failure (and may have asked again): the request goes, nobody is told."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    delivery.fetch_error = http_error(discord.NotFound, 404, 10008)
    await db.intake.add(intake())
    await Recovery(runner).run(everything=True)
    assert delivery.told == []
    assert await db.intake.pending() == []
    assert await db.fetchall("SELECT id FROM jobs") == []


async def test_an_acknowledged_request_is_stored_and_queued(db: Database) -> None:
    """Discord shows the first answer: the request goes on as a queued job answering that message."""
    runner = make_runner(db)
    await db.intake.add(intake())
    await Recovery(runner).run(everything=True)
    (job,) = await db.fetchall("SELECT id, state, progress_message_id FROM jobs")
    assert (job["id"], job["state"], job["progress_message_id"]) == ("r1", "queued", 77)
    assert runner.queue_depth() == 1


# -- jobs ---------------------------------------------------------------------------------------


async def test_a_resumed_edit_cancelled_mid_progress_edit_ends_on_its_cancelled_notice(db: Database) -> None:
    """A prediction polled again after a restart is cancelled while a progress edit is in flight:
    the edit finishes first, so the member's message ends on "Cancelled", never on a late progress."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    job = await runner.reserve(intake(kind=JobKind.EDIT), 77)
    await db.jobs.mark_running(job.id)
    await db.jobs.mark_submitted(job.id, "pred-1")
    polling = asyncio.Event()

    async def resume_edit(prediction_id: str, *, submitted_at: float, slot: Any, listener: Any) -> Any:
        listener.update(phase=Msg("phase-editing"))  # shown at once: an edit goes out
        polling.set()
        await asyncio.Event().wait()  # the prediction is still pending

    runner.pipeline.resume_edit = resume_edit  # type: ignore[method-assign]
    delivery.edit_gate = asyncio.Event()  # the progress edit is slow
    await Recovery(runner).run(everything=True)
    await asyncio.wait_for(polling.wait(), 5)
    await asyncio.sleep(0.01)  # the progress edit is in flight

    cancelling = asyncio.create_task(runner.cancel(await db.jobs.get(job.id), by=USER))
    await asyncio.sleep(0.05)
    delivery.edit_gate.set()
    assert await asyncio.wait_for(cancelling, 5) is True
    await asyncio.sleep(0.05)
    assert delivery.events == ["edit", "told"], "the cancelled notice is the last word"
    assert (await db.jobs.get(job.id)).state is JobState.CANCELLED
    await runner.close()


async def delivering_job(db: Database, runner: Any) -> Any:
    """A generation stopped while posting its images, whose message id was not recorded yet."""
    job = await runner.reserve(intake(), 77)
    assert await db.jobs.mark_running(job.id) and await db.jobs.mark_delivering(job.id)
    runner.leases.let_go(job.id)  # the process that held it stopped
    return job


@pytest.mark.parametrize("trouble", ["network", "server error"])
async def test_a_delivering_job_stays_while_discord_cannot_say_whether_it_was_posted(
        db: Database, trouble: str) -> None:
    """Reading the job's message fails for want of Discord: the job is neither taken for unposted
    (interrupted, refunded, told) nor for posted; it stays for the next start or sweep."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    job = await delivering_job(db, runner)
    delivery.fetch_error = (aiohttp.ClientConnectionError("connection reset") if trouble == "network"
                            else http_error(discord.DiscordServerError, 503, 0))
    await Recovery(runner).run(everything=True)
    stored = await db.jobs.get(job.id)
    assert stored.state is JobState.DELIVERING and stored.images_reserved == 1
    assert delivery.told == []

    delivery.fetch_error = http_error(discord.NotFound, 404, 10008)  # Discord says: no such message
    await Recovery(runner).run(everything=True)
    stored = await db.jobs.get(job.id)
    assert stored.state is JobState.INTERRUPTED and stored.images_reserved == 0
    assert [job_id for job_id, _ in delivery.told] == [job.id]


async def test_one_outcome_that_cannot_be_told_stops_neither_the_others_nor_the_start(db: Database) -> None:
    """Telling one member fails unexpectedly: recovery goes on (the next outcome is told, a queued
    job queued again) and the failed one stays for a later sweep."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    first = await runner.reserve(intake("r1"), 77)
    second = await runner.reserve(intake("r2"), 78)
    for job in (first, second):
        await db.jobs.fail(job.id, error="boom", notice="It failed.")
    queued = await runner.reserve(intake("r3"), 79)
    for job_id in ("r1", "r2", "r3"):
        runner.leases.let_go(job_id)  # the process that held them stopped
    told = delivery.tell

    async def tell(job: Any, embed: discord.Embed) -> bool:
        if job.id == first.id:
            raise RuntimeError("unexpected")
        return await told(job, embed)

    delivery.tell = tell  # type: ignore[method-assign]
    await Recovery(runner).run(everything=True)
    assert [job_id for job_id, _ in delivery.told] == [second.id]
    assert runner.queue_depth() == 1 and runner.handles(queued.id)
    assert (await db.jobs.get(first.id)).notice == "It failed.", "kept for a later sweep"
    assert first.id not in runner.leases.held


async def test_a_leftover_discord_does_not_answer_is_left_for_later_within_a_bound(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """At start Discord may not answer at all (recovery runs before the gateway connects): each
    leftover gets ``ITEM_TIMEOUT``, then stays for a later sweep, and the next one goes on."""
    monkeypatch.setattr(recovery_module, "ITEM_TIMEOUT", 0.1, raising=False)
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    await db.intake.add(intake("r1"))
    await db.intake.add(intake("r2"))
    asked: list[str] = []

    def webhook(job: Any) -> Any:
        async def fetch_message(message_id: str) -> Any:
            asked.append(job.job_id)
            if job.job_id == "r1":
                await asyncio.Event().wait()  # never answered
            return SimpleNamespace(id=77)
        return SimpleNamespace(fetch_message=fetch_message)

    delivery.webhook = webhook  # type: ignore[method-assign]
    await asyncio.wait_for(Recovery(runner).run(everything=True), 5)
    assert asked == ["r1", "r2"]
    assert [i.job_id for i in await db.intake.pending()] == ["r1"], "kept for a later sweep"
    assert "r1" not in runner.leases.held and runner.handles("r2")
