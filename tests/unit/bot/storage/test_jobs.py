"""Jobs in the database: their life, guarded transitions, commits and refunds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import (
    ACTIVE_STATES,
    Database,
    JobNotFound,
    JobRecord,
    JobState,
    Limits,
    ReplyTarget,
)
from tests.clock import FakeClock

GUILD = 1_000_000_000_000_001
OTHER_GUILD = 1_000_000_000_000_002
USER = 2_000_000_000_000_001
CHANNEL = 3_000_000_000_000_001
LIMITS = Limits(user_daily=20, guild_daily=200, max_jobs_per_user=10)


@pytest.fixture
async def db(db_url: str, clock: FakeClock) -> AsyncIterator[Database]:
    """A migrated database (a SQLite file, or PostgreSQL), on the test's clock."""
    async with await Database.open(db_url, clock=clock, limits=LIMITS) as database:
        yield database


async def reserve(db: Database, images: int = 4, **overrides: Any) -> JobRecord:
    """Reserve a generate job with the test's defaults."""
    args: dict[str, Any] = {
        "kind": JobKind.GENERATE,
        "user_id": USER,
        "guild_id": GUILD,
        "options": ImageOptions(model="gpt-image-1", prompt="a red fox", n=images),
        "reply": ReplyTarget(channel_id=CHANNEL),
    } | overrides
    return await db.quotas.reserve(**args)


async def used_today(db: Database, user_id: int = USER, guild_id: int | None = GUILD) -> int:
    """A member's images counted today in a server (or DMs)."""
    return (await db.quotas.usage(user_id=user_id, guild_id=guild_id)).user_used


async def test_reserve_stores_a_queued_job_with_every_field(db: Database, clock: FakeClock) -> None:
    """Persist everything a restart needs to resume or answer the job, before any API call."""
    job = await reserve(
        db,
        kind=JobKind.EDIT,
        options=ImageOptions(model="gpt-image-1.5-plus", prompt="x", n=2, images=("https://cdn/a.png",)),
        reply=ReplyTarget(channel_id=CHANNEL, application_id=66, interaction_id=55, token="tok",
                          created_at=1234.5, upload_limit=25 * 1024 * 1024, role_ids=(7, 8)),
        parent_job_id="parent",
    )
    assert len(job.id) == 32
    assert job.state is JobState.QUEUED
    assert job.images_requested == job.images_reserved == 2
    assert job.quota_day == "2026-03-14"
    assert job.created_at == clock().timestamp()
    stored = await db.jobs.get(job.id)
    assert stored == job
    assert stored.options == ImageOptions(model="gpt-image-1.5-plus", prompt="x", n=2, images=("https://cdn/a.png",))
    assert stored.reply == job.reply and stored.reply.token == "tok" and stored.reply.role_ids == (7, 8)
    assert stored.kind is JobKind.EDIT and stored.parent_job_id == "parent"


async def test_reserve_uses_a_given_job_id(db: Database) -> None:
    """Let the runner choose the job id so it can name the job before it is stored."""
    job = await reserve(db, job_id="f" * 32)
    assert (await db.jobs.get("f" * 32)) == job


async def test_get_unknown_job_is_none(db: Database) -> None:
    """Answer None, not an error, for an id nobody stored (e.g. a button from an old database)."""
    assert await db.jobs.get("nope") is None


async def test_a_job_moves_through_its_states(db: Database, clock: FakeClock) -> None:
    """Record each step of a job's life with the times and ids a restart needs."""
    job = await reserve(db)
    clock.advance(seconds=5)
    assert await db.jobs.mark_running(job.id) is True
    assert await db.jobs.mark_submitted(job.id, "pred-1") is True
    await db.jobs.set_message(job.id, 777)
    assert await db.jobs.mark_delivering(job.id) is True
    record = await db.jobs.get(job.id)
    assert record.state is JobState.DELIVERING
    assert record.prediction_id == "pred-1"
    assert record.message_id == 777
    assert record.started_at == clock().timestamp()
    clock.advance(seconds=30)
    done = await db.jobs.finish(
        job.id,
        delivered=4,
        input_tokens=10,
        output_tokens=4000,
        total_tokens=4010,
        result_message_ids=[888, 999],
    )
    assert done.state is JobState.DONE
    assert done.images_delivered == done.images_reserved == 4
    assert (done.input_tokens, done.output_tokens, done.total_tokens) == (10, 4000, 4010)
    assert done.result_message_ids == [888, 999]
    assert done.finished_at == clock().timestamp()
    assert done == await db.jobs.get(job.id)


async def test_finish_records_the_result_message_when_none_was_recorded(db: Database) -> None:
    """A result posted in one message is recorded by ``finish`` alone (no separate write before)."""
    job = await reserve(db)
    done = await db.jobs.finish(job.id, delivered=1, result_message_ids=[555])
    assert done.message_id == 555 and done.result_message_ids == [555]
    other = await reserve(db)
    await db.jobs.set_message(other.id, 777)
    done = await db.jobs.finish(other.id, delivered=1, result_message_ids=[777, 778])
    assert done.message_id == 777


async def test_finish_commits_delivered_images_and_refunds_the_rest(db: Database) -> None:
    """Charge only the images that reached the member when fewer came back than asked."""
    job = await reserve(db, images=4)
    assert await used_today(db) == 4
    done = await db.jobs.finish(job.id, delivered=3)
    assert done.images_reserved == 3 and done.images_delivered == 3
    assert await used_today(db) == 3


async def test_finish_never_charges_more_than_was_reserved(db: Database) -> None:
    """Cap the charge at the reservation when the API returns more images than asked."""
    job = await reserve(db, images=2)
    done = await db.jobs.finish(job.id, delivered=5)
    assert done.images_delivered == 5
    assert done.images_reserved == 2
    assert await used_today(db) == 2


async def test_fail_refunds_the_whole_reservation(db: Database) -> None:
    """Give every reserved image back when a job ends without images."""
    job = await reserve(db, images=4)
    await db.jobs.mark_running(job.id)
    failed = await db.jobs.fail(job.id, error="content policy", output_tokens=100)
    assert failed.state is JobState.FAILED
    assert failed.images_reserved == 0
    assert failed.error == "content policy"
    assert failed.output_tokens == 100
    assert await used_today(db) == 0


@pytest.mark.parametrize("state", [JobState.INTERRUPTED, JobState.CANCELLED])
async def test_fail_can_end_as_interrupted_or_cancelled(db: Database, state: JobState) -> None:
    """End a job as interrupted (restart) or cancelled (member) with a full refund."""
    job = await reserve(db)
    ended = await db.jobs.fail(job.id, error="bot restarted", state=state)
    assert ended.state is state and ended.images_reserved == 0


async def test_fail_refuses_a_state_that_is_not_a_failure(db: Database) -> None:
    """Refuse to 'fail' a job into done or an active state, which would bypass finish()."""
    job = await reserve(db)
    with pytest.raises(ValueError):
        await db.jobs.fail(job.id, error="x", state=JobState.DONE)
    with pytest.raises(ValueError):
        await db.jobs.fail(job.id, error="x", state=JobState.RUNNING)


async def test_finish_twice_does_not_change_the_charge(db: Database) -> None:
    """Ignore a second finish so the recorded outcome and charge stay the first one's."""
    job = await reserve(db, images=4)
    first = await db.jobs.finish(job.id, delivered=2, result_message_ids=[1])
    second = await db.jobs.finish(job.id, delivered=4, result_message_ids=[2])
    assert second == first
    assert await used_today(db) == 2


async def test_fail_after_finish_does_not_refund(db: Database) -> None:
    """Keep the charge of a delivered job when a late error tries to fail it."""
    job = await reserve(db, images=4)
    await db.jobs.finish(job.id, delivered=4)
    after = await db.jobs.fail(job.id, error="late timeout")
    assert after.state is JobState.DONE and after.error is None
    assert await used_today(db) == 4


async def test_fail_twice_refunds_once(db: Database) -> None:
    """Refund a failed job exactly once, whatever else tries to fail it again."""
    first_job = await reserve(db, images=4)
    second_job = await reserve(db, images=3)
    first = await db.jobs.fail(first_job.id, error="first")
    again = await db.jobs.fail(first_job.id, error="second", state=JobState.CANCELLED)
    assert again == first
    assert await used_today(db) == 3
    assert (await db.jobs.get(second_job.id)).images_reserved == 3


async def test_finish_after_fail_does_not_charge(db: Database) -> None:
    """Keep a failed (refunded) job refunded when a late delivery tries to finish it."""
    job = await reserve(db, images=4)
    await db.jobs.fail(job.id, error="timeout")
    after = await db.jobs.finish(job.id, delivered=4)
    assert after.state is JobState.FAILED and after.images_reserved == 0
    assert await used_today(db) == 0


async def test_racing_finish_and_fail_settle_on_one_outcome(db: Database) -> None:
    """Let exactly one of a concurrent finish and fail win, with a charge that matches it."""
    job = await reserve(db, images=4)
    done, failed = await asyncio.gather(db.jobs.finish(job.id, delivered=4), db.jobs.fail(job.id, error="timeout"))
    assert done == failed  # the loser got the winner's record back
    final = await db.jobs.get(job.id)
    expected = 4 if final.state is JobState.DONE else 0
    assert final.images_reserved == expected == await used_today(db)


async def test_marks_on_a_finished_job_say_no(db: Database) -> None:
    """Tell the runner to stop (False) when the job was cancelled while it worked."""
    job = await reserve(db)
    await db.jobs.fail(job.id, error="cancelled by member", state=JobState.CANCELLED)
    assert await db.jobs.mark_running(job.id) is False
    assert await db.jobs.mark_submitted(job.id, "pred") is False
    assert await db.jobs.mark_delivering(job.id) is False
    assert (await db.jobs.get(job.id)).state is JobState.CANCELLED


async def test_states_do_not_move_backwards(db: Database) -> None:
    """Refuse to put a delivering job back to running or a queued job straight to delivering."""
    job = await reserve(db)
    assert await db.jobs.mark_delivering(job.id) is False
    await db.jobs.mark_running(job.id)
    await db.jobs.mark_delivering(job.id)
    assert await db.jobs.mark_running(job.id) is False
    assert await db.jobs.mark_submitted(job.id, "p") is False
    assert (await db.jobs.get(job.id)).state is JobState.DELIVERING


async def test_transitions_of_an_unknown_job_raise(db: Database) -> None:
    """Raise JobNotFound for an id that was never stored (a bug, not a race)."""
    with pytest.raises(JobNotFound):
        await db.jobs.mark_running("missing")
    with pytest.raises(JobNotFound):
        await db.jobs.finish("missing", delivered=1)
    with pytest.raises(JobNotFound):
        await db.jobs.fail("missing", error="x")
    with pytest.raises(JobNotFound):
        await db.jobs.set_message("missing", 1)


async def test_list_active_returns_unfinished_jobs_oldest_first(db: Database, clock: FakeClock) -> None:
    """Give recovery every queued, running, polled or delivering job, oldest first."""
    jobs = []
    for _ in range(5):
        jobs.append(await reserve(db, images=1))
        clock.advance(seconds=1)
    await db.jobs.mark_running(jobs[1].id)
    await db.jobs.mark_submitted(jobs[2].id, "p")
    await db.jobs.finish(jobs[3].id, delivered=1)
    await db.jobs.fail(jobs[0].id, error="x")
    active = await db.jobs.list_active()
    assert [j.id for j in active] == [jobs[1].id, jobs[2].id, jobs[4].id]
    assert all(j.state in ACTIVE_STATES and j.is_active for j in active)


async def test_count_active_for_user_spans_servers_and_dms(db: Database) -> None:
    """Count a member's running jobs across every server and DMs, not finished ones."""
    a = await reserve(db, guild_id=GUILD)
    await reserve(db, guild_id=OTHER_GUILD)
    await reserve(db, guild_id=None)
    await reserve(db, user_id=USER + 1)
    assert await db.jobs.count_active_for_user(USER) == 3
    await db.jobs.finish(a.id, delivered=1)
    assert await db.jobs.count_active_for_user(USER) == 2


async def test_jobs_survive_a_restart(db_url: str, clock: FakeClock) -> None:
    """Find a running job again after the database is closed and reopened."""
    path = db_url
    async with await Database.open(path, clock=clock, limits=LIMITS) as db:
        job = await reserve(db)
        await db.jobs.mark_submitted(job.id, "pred-9")
    async with await Database.open(path, clock=clock, limits=LIMITS) as db:
        (active,) = await db.jobs.list_active()
        assert active.id == job.id and active.prediction_id == "pred-9"
