"""The runner's telling of outcomes: a cancel that loses to a failure, Discord out of reach (see ``harness``)."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest

from bot.errors import JobFailed
from bot.gptproto.registry import JobKind
from bot.jobs import runner as runner_module
from bot.storage import Database, JobState
from tests.unit.bot.jobs.harness import GUILD, USER, ScriptedDelivery, intake, make_runner


async def stored_job(db: Database, runner: runner_module.JobRunner):
    """A job reserved and marked running, as a worker would have it."""
    job = await runner.reserve(intake(), None)
    assert job.kind is JobKind.GENERATE and job.guild_id == GUILD and job.user_id == USER
    assert await db.jobs.mark_running(job.id)
    return job


async def test_a_cancel_that_loses_to_a_failure_tells_the_failure(db: Database,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The job failed (its notice stored) and was telling its member when the cancel cut that off:
    the cancel, finding the job failed, tells the stored notice rather than leave it to a restart."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    job = await stored_job(db, runner)
    delivery.gate = asyncio.Event()  # the failure's telling hangs until cancelled
    failing = asyncio.create_task(runner.fail(runner.delivery.progress(job), JobFailed(msg_id="post-forbidden"),
                                              time.monotonic()))
    runner._running[job.id] = failing
    await asyncio.wait_for(delivery.asked.wait(), 5)
    delivery.gate = None
    running = dataclasses.replace(job, state=JobState.RUNNING)  # what the cancel read, just before the failure

    async def read_before_the_failure(job_id: str):
        return running

    monkeypatch.setattr(db.jobs, "get", read_before_the_failure)
    assert await runner.cancel(job, by=USER) is False, "it had failed already"
    monkeypatch.undo()
    (told,) = delivery.told
    assert told[0] == job.id and "post" in (told[1].description or "").lower()
    final = await db.jobs.get(job.id)
    assert final.state is JobState.FAILED and final.notice is None


async def test_an_outcome_is_told_again_in_the_background_while_discord_is_out_of_reach(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Discord out of reach when a job fails: a few more tries follow with backoff (the lease kept
    meanwhile), and the notice is cleared once shown."""
    monkeypatch.setattr(runner_module, "TELL_RETRY_DELAYS", (0.01, 0.02, 0.04))
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    job = await stored_job(db, runner)
    delivery.failures_left = 2
    await runner.fail(runner.delivery.progress(job), JobFailed(msg_id="post-forbidden"), time.monotonic())
    assert delivery.told == [] and runner.handles(job.id) and job.id in runner.leases.held
    for _ in range(200):
        if delivery.told:
            break
        await asyncio.sleep(0.01)
    assert [job_id for job_id, _ in delivery.told] == [job.id] and delivery.tries == 3
    assert (await db.jobs.get(job.id)).notice is None
    await asyncio.sleep(0)
    assert not runner.handles(job.id) and job.id not in runner.leases.held
    await runner.close()


async def test_the_background_tries_are_few_and_end_with_the_runner(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Discord out of reach for good: a bounded number of tries, then the notice waits for the next
    start or sweep (its lease let go); closing the runner cancels tries still waiting."""
    monkeypatch.setattr(runner_module, "TELL_RETRY_DELAYS", (0.01, 0.01))
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    job = await stored_job(db, runner)
    delivery.reachable = False
    await runner.fail(runner.delivery.progress(job), JobFailed(msg_id="post-forbidden"), time.monotonic())
    for _ in range(200):
        if not runner.handles(job.id):
            break
        await asyncio.sleep(0.01)
    assert delivery.tries == 3 and job.id not in runner.leases.held
    assert (await db.jobs.get(job.id)).notice is not None, "kept for the next start"

    monkeypatch.setattr(runner_module, "TELL_RETRY_DELAYS", (60.0,))
    other = await runner.reserve(intake("r2"), None)
    await db.jobs.mark_running(other.id)
    await runner.fail(runner.delivery.progress(other), JobFailed(msg_id="post-forbidden"), time.monotonic())
    assert runner.handles(other.id)
    await asyncio.wait_for(runner.close(), 1)
    assert not runner.handles(other.id)


async def test_the_reservation_counts_the_previews_the_server_streams(db: Database) -> None:
    """PREVIEW_IMAGES=0, but the server turned previews on (/settings previews): the job streams the
    server's partial images, so its reserved worst case counts them."""
    runner = make_runner(db)  # PREVIEW_IMAGES=0
    await db.settings.update(GUILD, by=USER, previews=True)
    policy = await runner.policies.get(GUILD)
    assert runner.settings.preview_images == 0 and policy.preview_images > 0
    pricing = db.quotas.limits.pricing
    job = await runner.reserve(intake(), None)
    assert job.cost_estimate_micros == pricing.estimate(job.options, previews=policy.preview_images)
    assert job.cost_estimate_micros > pricing.estimate(job.options), "the previews are counted"


async def test_queue_places_are_announced_at_most_once_per_interval(db: Database) -> None:
    """Many starts in a burst move the queue once per ``position_interval``, not once per start."""
    runner = make_runner(db, MAX_CONCURRENT_JOBS="1")
    runner.position_interval = 0.2
    runner._started_at["busy"] = time.monotonic()  # the one slot is taken: everything waits
    for number in range(4):  # four members' jobs
        request = dataclasses.replace(intake(f"r{number}"), user_id=USER + number)
        runner.enqueue(await runner.reserve(request, None))

    def places() -> list[int | None]:
        return [progress.position for progress in runner._waiting.values()]

    assert places() == [1, 2, 3, 4]
    runner._waiting.popitem(last=False)  # a job starts: the others move up, shown at once
    runner._announce_positions()
    await asyncio.sleep(0.01)
    assert places() == [1, 2, 3]
    runner._waiting.popitem(last=False)  # another starts within the interval
    for _ in range(10):
        runner._announce_positions()
        await asyncio.sleep(0.001)
    assert places() == [2, 3], "not yet: within the interval"
    await asyncio.sleep(0.3)
    assert places() == [1, 2], "then once, for all of them"
    await runner.close()


async def test_a_job_whose_images_are_in_is_not_cancelled(db: Database) -> None:
    """Once a job's API call is over (paid for), a cancel leaves it to be posted."""
    runner = make_runner(db)
    job = await stored_job(db, runner)
    runner._delivering.add(job.id)
    assert await runner.cancel(job, by=USER) is False
    stored = await db.jobs.get(job.id)
    assert stored.state is JobState.RUNNING and stored.images_reserved == 1
