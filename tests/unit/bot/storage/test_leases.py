"""Leases on jobs and received requests, on both databases: held by the process that made them,
renewed, taken over once expired (by one claimer only), guarded steps, let go on a stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import Database, JobRecord, JobState, Limits, ReplyTarget
from bot.storage.intake import Intake
from tests.clock import FakeClock

LIMITS = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=1000)
LEASE = 30.0


async def open_as(url: str, clock: FakeClock, name: str) -> Database:
    """A database handle standing for one bot process called ``name``."""
    db = await Database.open(url, clock=clock, limits=LIMITS)
    db.lease_owner, db.lease_seconds = name, LEASE
    return db


@pytest.fixture
async def two(db_url: str, clock: FakeClock) -> AsyncIterator[tuple[Database, Database]]:
    """Two processes (two connections or pools) on one database."""
    a = await open_as(db_url, clock, "process-a")
    b = await open_as(db_url, clock, "process-b")
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


async def reserve(db: Database, **extra: object) -> JobRecord:
    """A queued one-image job, held by ``db``'s process."""
    return await db.quotas.reserve(kind=JobKind.GENERATE, user_id=1, guild_id=2,
                                   options=ImageOptions(model="gpt-image-1", prompt="x"),
                                   reply=ReplyTarget(channel_id=3), **extra)


async def owner_of(db: Database, job_id: str) -> tuple[str, float]:
    """(lease_owner, lease_expires_at) of a job."""
    row = await db.fetchone("SELECT lease_owner, lease_expires_at FROM jobs WHERE id = ?", (job_id,))
    return row["lease_owner"], row["lease_expires_at"]


async def test_a_new_job_is_held_by_its_process_until_the_lease_runs_out(two, clock: FakeClock) -> None:
    """The reserving process holds the job; nobody takes it before its lease expires; then one does."""
    a, b = two
    job = await reserve(a)
    assert await owner_of(a, job.id) == ("process-a", clock().timestamp() + LEASE)
    assert await b.jobs.claim_expired() == []
    clock.advance(seconds=LEASE + 1)
    (taken,) = await b.jobs.claim_expired()
    assert taken.id == job.id and (await owner_of(a, job.id))[0] == "process-b"
    assert await a.jobs.claim_expired() == []  # b's fresh lease


async def test_renewal_keeps_a_job_and_reports_one_taken_meanwhile(two, clock: FakeClock) -> None:
    """Renewing extends the holder's lease; a job another process took is reported lost."""
    a, b = two
    kept, stolen = await reserve(a), await reserve(a)
    clock.advance(seconds=LEASE - 1)
    assert await a.jobs.renew_leases({kept.id}) == set()
    clock.advance(seconds=2)  # stolen's lease ran out, kept's was renewed
    assert [j.id for j in await b.jobs.claim_expired()] == [stolen.id]
    assert await a.jobs.renew_leases({kept.id, stolen.id}) == {stolen.id}
    assert (await owner_of(a, kept.id))[0] == "process-a"


async def test_a_process_that_lost_a_job_cannot_move_it(two, clock: FakeClock) -> None:
    """Running, submitting and delivering are guarded by the lease: the old holder is refused."""
    a, b = two
    job = await reserve(a)
    clock.advance(seconds=LEASE + 1)
    await b.jobs.claim_expired()
    assert await a.jobs.mark_running(job.id) is False
    assert await b.jobs.mark_running(job.id) is True
    assert await a.jobs.mark_submitted(job.id, "p") is False
    assert await a.jobs.mark_delivering(job.id) is False
    assert await b.jobs.mark_delivering(job.id) is True


async def test_ended_jobs_with_a_notice_are_claimed_until_told(two, clock: FakeClock) -> None:
    """A failed job whose member was not told is taken over too; once told, it is nobody's business."""
    a, b = two
    told, untold = await reserve(a), await reserve(a)
    await a.jobs.fail(told.id, error="x", notice="sorry")
    await a.jobs.mark_told(told.id)
    await a.jobs.fail(untold.id, error="x", notice="sorry")
    done = await reserve(a)
    await a.jobs.finish(done.id, delivered=1)
    clock.advance(seconds=LEASE + 1)
    (taken,) = await b.jobs.claim_expired()
    assert taken.id == untold.id and taken.state is JobState.FAILED and taken.notice == "sorry"


async def test_claims_at_once_never_take_one_job_twice(db_url: str, clock: FakeClock) -> None:
    """Four processes sweeping at the same moment share 40 expired jobs without overlap."""
    handles = [await open_as(db_url, clock, f"p{i}") for i in range(4)]
    try:
        jobs = [await reserve(handles[0]) for _ in range(40)]
        clock.advance(seconds=LEASE + 1)
        claims = await asyncio.gather(*(h.jobs.claim_expired(limit=15) for h in handles))
        ids = [j.id for claim in claims for j in claim]
        assert len(ids) == len(set(ids)) == 40
        assert sorted(ids) == sorted(j.id for j in jobs)
    finally:
        for h in handles:
            await h.close()


async def test_everything_takes_over_whatever_the_lease(two) -> None:
    """At start on a SQLite file the one process takes over every unfinished job at once."""
    a, b = two
    job = await reserve(a)
    assert [j.id for j in await b.jobs.claim_expired(everything=True)] == [job.id]


async def test_released_leases_are_taken_at_once(two) -> None:
    """A graceful stop lets go of its jobs and requests: another process takes them without waiting."""
    a, b = two
    job = await reserve(a)
    await a.intake.add(Intake(job_id="r1", kind=JobKind.GENERATE, user_id=1, guild_id=2,
                              options=ImageOptions(model="gpt-image-1", prompt="x"), reply=ReplyTarget(3),
                              parent_job_id=None, created_at=1.0))
    assert await b.jobs.claim_expired() == [] and await b.intake.claim_expired() == []
    await a.jobs.release_leases({job.id, "r1"})
    assert [j.id for j in await b.jobs.claim_expired()] == [job.id]
    assert [i.job_id for i in await b.intake.claim_expired()] == ["r1"]
    assert await b.jobs.renew_leases({job.id, "r1"}) == set()
    assert await a.jobs.renew_leases({job.id, "r1"}) == {job.id, "r1"}


async def test_received_requests_are_held_and_taken_over_like_jobs(two, clock: FakeClock) -> None:
    """A request recorded before its acknowledgement is held by its process; once expired, one other takes it."""
    a, b = two
    await a.intake.add(Intake(job_id="r2", kind=JobKind.GENERATE, user_id=1, guild_id=None,
                              options=ImageOptions(model="gpt-image-1", prompt="x"), reply=ReplyTarget(3),
                              parent_job_id=None, created_at=1.0))
    assert await b.intake.claim_expired() == []
    clock.advance(seconds=LEASE - 1)
    await a.jobs.renew_leases({"r2"})
    clock.advance(seconds=LEASE - 1)
    assert await b.intake.claim_expired() == []
    clock.advance(seconds=2)
    (taken,) = await b.intake.claim_expired()
    assert taken.job_id == "r2" and await a.intake.claim_expired() == []
