"""The pipeline against the fake GPTProto: generation, edits, polling by the policy passed in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.gptproto.client import GPTProtoClient, RetryPolicy, Timeouts
from bot.gptproto.errors import PredictionFailed, PredictionTimeout
from bot.gptproto.registry import validate_edit, validate_generate
from bot.gptproto.types import Prediction, PredictionStatus
from bot.i18n import Msg
from bot.jobs.pipeline import (
    RESULT_MEMORY,
    UNKNOWN_ANSWER,
    Backoff,
    Pipeline,
    PipelineSlot,
    PollPolicy,
    ResultBudget,
)
from tests.fakes.files import FileServer
from tests.fakes.gptproto import FakeGPTProto
from tests.fakes.imagegen import make_image

KEY = "sk-test-pipeline-0123456789abcdef"
QUICK = PollPolicy(first=0.02, factor=2.0, max_delay=0.05, jitter=0.0)


class Phases:
    """A listener that records what the member would have been shown."""

    def __init__(self) -> None:
        self.phases: list[str] = []
        self.previews: list[bytes] = []

    def update(self, *, phase: Msg | None = None, preview: bytes | None = None,
               clear_position: bool = False) -> None:
        """Record the phase (as an English member reads it) and preview."""
        if phase is not None:
            self.phases.append(phase.render("en"))
        if preview is not None:
            self.previews.append(preview)


@pytest.fixture
async def fake() -> AsyncIterator[FakeGPTProto]:
    async with FakeGPTProto(api_key=KEY) as server:
        server.stream_partial_delay = 0.01
        server.prediction_duration = 0.15
        yield server


@pytest.fixture
async def photo_url() -> AsyncIterator[str]:
    """The URL of a small PNG to edit, on a file server standing in for Discord's CDN."""
    async with FileServer() as files:
        yield files.add("photo.png", make_image(64, 64, fmt="png"))


@pytest.fixture
async def pipeline(fake: FakeGPTProto) -> AsyncIterator[Pipeline]:
    async with aiohttp.ClientSession() as session:
        api = GPTProtoClient(session, api_key=KEY, base_url=fake.base_url,
                             retry=RetryPolicy(base_delay=0.01, max_delay=0.02),
                             timeouts=Timeouts(generate=5.0, submit=5.0, poll=5.0, download=5.0, connect=1.0))
        yield Pipeline(api, poll=QUICK, edit_timeout_s=5.0, preview_images=2)


def edit_options(photo_url: str):
    """An edit of the test's photo."""
    return validate_edit(model=None, prompt="make it snow", images=[photo_url], default_model="gpt-image-1.5-plus")


def test_backoff_grows_to_its_ceiling_and_honours_retry_after() -> None:
    """Waits grow by the factor up to the ceiling; a Retry-After makes the next wait at least that long."""
    backoff = Backoff(PollPolicy(first=1.0, factor=2.0, max_delay=3.0, jitter=0.0))
    assert [backoff.next() for _ in range(4)] == [1.0, 2.0, 3.0, 3.0]
    backoff.at_least(10.0)
    assert backoff.next() == 10.0


def test_backoff_jitter_stays_within_its_band() -> None:
    """Jitter spreads polls of many jobs without ever leaving ±jitter of the delay."""
    policy = PollPolicy(first=2.0, factor=1.0, max_delay=2.0, jitter=0.15)
    waits = [policy.backoff().next() for _ in range(200)]
    assert all(1.7 <= w <= 2.3 for w in waits) and len(set(waits)) > 1


async def test_generate_returns_images_and_usage(pipeline: Pipeline) -> None:
    """A synchronous generation gives the API's images and its token usage."""
    listener = Phases()
    options = validate_generate(model="gpt-image-1", prompt="a red fox", size="1024x1024", n=2)
    answer = await pipeline.generate("job", options, pipeline.slot(), listener, previews=0)
    assert len(answer.images) == 2 and all(i.startswith(b"\x89PNG") for i in answer.images)
    assert answer.usage.total_tokens > 0
    assert listener.phases == ["Generating…"]


async def test_generate_streams_previews_when_the_model_can(pipeline: Pipeline) -> None:
    """With previews on, partial images reach the listener as small previews before the result."""
    listener = Phases()
    options = validate_generate(model="gpt-image-1", prompt="a red fox", size="1024x1024")
    answer = await pipeline.generate("job", options, pipeline.slot(), listener)
    assert len(answer.images) == 1
    assert len(listener.previews) == 2
    assert listener.phases[-1] == "Generating… preview 2 of 2"


async def test_edit_records_the_prediction_before_polling_it(
        pipeline: Pipeline, photo_url: str, fake: FakeGPTProto) -> None:
    """The prediction id reaches ``on_submitted`` before the first poll, so a restart can resume it."""
    seen: list[tuple[str, int]] = []

    async def submitted(prediction_id: str) -> None:
        seen.append((prediction_id, len(fake.requests_for("poll"))))

    answer = await pipeline.edit("job", edit_options(photo_url), pipeline.slot(), Phases(), on_submitted=submitted)
    assert len(seen) == 1 and seen[0][1] == 0, seen
    assert answer.images and answer.usage.total_tokens == 0  # edits answer without usage


async def test_polls_follow_the_policy_passed_in(
        pipeline: Pipeline, photo_url: str, fake: FakeGPTProto) -> None:
    """A 0.15 s prediction polled every 20-50 ms is polled a handful of times, not once a second."""
    started = time.monotonic()
    await pipeline.edit("job", edit_options(photo_url), pipeline.slot(), Phases(), on_submitted=_nothing)
    polls = len(fake.requests_for("poll"))
    assert 2 <= polls <= 12, polls
    assert time.monotonic() - started < 1.5


async def test_a_prediction_past_its_deadline_fails_after_polling(
        pipeline: Pipeline, photo_url: str, fake: FakeGPTProto) -> None:
    """A prediction that never completes ends in PredictionTimeout at the deadline, having been polled."""
    pipeline.edit_timeout_s = 0.3
    fake.fail_next("prediction_never_completes", route="edit")
    with pytest.raises(PredictionTimeout):
        await asyncio.wait_for(
            pipeline.edit("job", edit_options(photo_url), pipeline.slot(), Phases(), on_submitted=_nothing), 5)
    assert len(fake.requests_for("poll")) >= 2


async def test_a_resumed_prediction_is_polled_once_even_past_its_deadline(pipeline: Pipeline, photo_url: str) -> None:
    """After a long restart the prediction may have finished meanwhile: poll it once before giving up."""
    prediction = await pipeline.api.submit_edit(edit_options(photo_url))
    await asyncio.sleep(0.3)  # finished while "the bot was down"
    answer = await pipeline.resume_edit(prediction.id, submitted_at=time.time() - 3600,
                                        slot=pipeline.slot(), listener=Phases())
    assert answer.images


async def test_a_failed_prediction_raises_prediction_failed(
        pipeline: Pipeline, photo_url: str, fake: FakeGPTProto) -> None:
    """The provider's failure becomes PredictionFailed (the member's sentence comes from it)."""
    fake.fail_next("prediction_failed", route="edit")
    with pytest.raises(PredictionFailed):
        await pipeline.edit("job", edit_options(photo_url), pipeline.slot(), Phases(), on_submitted=_nothing)


async def test_poll_reports_the_providers_phase(pipeline: Pipeline, photo_url: str) -> None:
    """While the provider works, the listener reads that the edit is queued or in progress."""
    listener = Phases()
    prediction = await pipeline.api.submit_edit(edit_options(photo_url))
    done = await pipeline.poll(Prediction(id=prediction.id, status=PredictionStatus.CREATED),
                               deadline=time.time() + 5, listener=listener)
    assert done.status is PredictionStatus.COMPLETED
    assert listener.phases and all(p.startswith("Editing… ") for p in listener.phases)


async def _nothing(prediction_id: str) -> None:
    return None


# -- the memory budget of answers ---------------------------------------------------------------

MB = 1024 * 1024


async def test_answers_share_the_budget_first_come_first_served() -> None:
    """Answers run together while their sizes fit the budget; the next waits its turn, in order."""
    budget = ResultBudget(100)
    first, second, third, fourth = (PipelineSlot(budget) for _ in range(4))
    await asyncio.wait_for(first.acquire(4 * MB), 1)  # counted as the whole budget (100)
    first.release()
    budget = ResultBudget(12 * MB)
    first, second, third, fourth = (PipelineSlot(budget) for _ in range(4))
    await asyncio.wait_for(first.acquire(4 * MB), 1)
    await asyncio.wait_for(second.acquire(4 * MB), 1)  # two fit side by side
    big = asyncio.create_task(third.acquire(8 * MB))
    small = asyncio.create_task(fourth.acquire(4 * MB))
    await asyncio.sleep(0.01)
    assert not big.done() and not small.done(), "the small one does not overtake the big one"
    first.release()
    await asyncio.wait_for(big, 1)
    await asyncio.sleep(0.01)
    assert not small.done()
    second.release()
    await asyncio.wait_for(small, 1)
    assert budget.in_use == 12 * MB


async def test_small_answers_count_too_and_a_cancelled_wait_gives_nothing_away() -> None:
    """Many small answers fit at once, but they are counted: with the budget full, even a small
    one waits. A wait cancelled (the job stopped) lets the next one in."""
    budget = ResultBudget(8 * MB)
    smalls = [PipelineSlot(budget) for _ in range(8)]
    for slot in smalls:
        await asyncio.wait_for(slot.acquire(MB), 1)
    assert budget.in_use == 8 * MB
    late = asyncio.create_task(PipelineSlot(budget).acquire(1000))
    await asyncio.sleep(0.01)
    assert not late.done(), "the budget is full: a small answer waits too"
    for slot in smalls:
        slot.release()
    await asyncio.wait_for(late, 1)
    assert budget.in_use == 1000

    budget = ResultBudget(8 * MB)
    holder, waiting, next_one = (PipelineSlot(budget) for _ in range(3))
    await holder.acquire(8 * MB)
    cancelled = asyncio.create_task(waiting.acquire(8 * MB))
    after = asyncio.create_task(next_one.acquire(4 * MB))
    await asyncio.sleep(0.01)
    cancelled.cancel()
    await asyncio.sleep(0.01)
    assert not after.done()
    holder.release()
    await asyncio.wait_for(after, 1)
    assert budget.in_use == 4 * MB
    next_one.release()
    waiting.release()  # never held: nothing to give back
    assert budget.in_use == 0


async def test_an_answer_of_unknown_size_counts_as_a_4k_one() -> None:
    """An edit's outputs (size unknown until downloaded) take a 4K answer's share."""
    budget = ResultBudget(RESULT_MEMORY)
    slot = PipelineSlot(budget)
    await slot.acquire()
    assert budget.in_use == UNKNOWN_ANSWER
    slot.release()
    assert budget.in_use == 0
