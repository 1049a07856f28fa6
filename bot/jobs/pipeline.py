"""A job's calls to the image API: generate (or stream with previews), submit an edit, poll it.

It knows nothing of Discord: what the member should see is reported through a ``Listener`` (a
phase sentence, a preview image), and the one fact the database must keep before anything else
happens (an edit's prediction id) through ``on_submitted``. How often to poll is a
``PollPolicy`` passed in, the way the client takes a ``RetryPolicy``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot import images as imaging
from bot.gptproto.client import GPTProtoClient
from bot.gptproto.errors import (
    APIConnectionError,
    APITimeout,
    MalformedResponse,
    PredictionFailed,
    PredictionTimeout,
    ProviderError,
    RateLimited,
)
from bot.gptproto.registry import ImageOptions
from bot.gptproto.types import Prediction, PredictionStatus, TokenUsage
from bot.i18n import Msg
from bot.metrics import Metrics

log = logging.getLogger(__name__)

MAX_OUTPUT_BYTES = 50 * 1024 * 1024
"""The largest edit output the bot downloads (a 4K PNG is ~25 MB)."""
RESULT_MEMORY = 64 * 1024 * 1024
"""Bytes of answers (as the API declares them) read, decoded, fitted and posted at once (see
:class:`ResultBudget`): two 4K answers (~27 MB each), which then peak at ~50 MB each, or some
thirty 1024x1024 ones."""
UNKNOWN_ANSWER = 32 * 1024 * 1024
"""What an answer of unknown size (an edit's downloaded outputs) is counted as: a 4K PNG."""


@dataclass(frozen=True)
class PollPolicy:
    """When to poll an asynchronous prediction.

    The defaults poll after 1 s, then every 2.2 s (each ±15 %): a result is noticed ~1.1 s after
    it is ready on average, with fewer than one poll per 2 s (see BENCHMARKS.md, figure 5).
    """

    first: float = 1.0
    factor: float = 2.2
    max_delay: float = 2.2
    jitter: float = 0.15

    def backoff(self) -> Backoff:
        """The waits of one prediction's polls."""
        return Backoff(self)


class Backoff:
    """The growing wait between one prediction's polls."""

    def __init__(self, policy: PollPolicy) -> None:
        self._policy = policy
        self._delay = policy.first

    def next(self) -> float:
        """The wait before the next poll (with jitter); later waits grow up to ``max_delay``."""
        policy = self._policy
        wait = self._delay * random.uniform(1 - policy.jitter, 1 + policy.jitter)
        self._delay = min(self._delay * policy.factor, policy.max_delay)
        return wait

    def at_least(self, seconds: float) -> None:
        """Make the next wait no shorter than ``seconds`` (the provider's ``Retry-After``)."""
        self._delay = max(self._delay, seconds)


class Listener(Protocol):
    """What the member is shown while the API works (implemented by the job's progress message)."""

    def update(self, *, phase: Msg | None = None, preview: bytes | None = None,
               clear_position: bool = False) -> None:
        """Show a new phase sentence (rendered in the member's language) or preview image."""


class ResultBudget:
    """The memory that answers in the results pipeline may take together, in bytes.

    First come, first served: an answer waits until its bytes fit beside those in flight. One
    larger than the whole budget is let in alone, so that nothing waits forever.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.in_use = 0
        self._waiters: deque[tuple[int, asyncio.Future[None]]] = deque()

    async def take(self, size: int) -> int:
        """Wait until ``size`` bytes fit; returns what was taken (to give back with ``give``)."""
        size = min(size, self.capacity)
        if not self._waiters and self.in_use + size <= self.capacity:
            self.in_use += size
            return size
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append((size, waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            if not waiter.cancelled():
                self.give(size)  # granted just as it was cancelled
            else:
                with contextlib.suppress(ValueError):  # ``_wake`` may have dropped it already
                    self._waiters.remove((size, waiter))
                self._wake()  # the next in line may fit now
            raise
        return size

    def give(self, size: int) -> None:
        """Give back what ``take`` returned."""
        self.in_use -= size
        self._wake()

    def _wake(self) -> None:
        while self._waiters:
            size, waiter = self._waiters[0]
            if waiter.done():  # cancelled; ``take`` removes it
                self._waiters.popleft()
                continue
            if self.in_use + size > self.capacity:
                return  # in order: a large answer is not overtaken forever by small ones
            self._waiters.popleft()
            self.in_use += size
            waiter.set_result(None)


class PipelineSlot:
    """The place of a result in the results pipeline (read, decode, fit, post).

    A 4K answer takes ~50 MB at its peak while it is read, decoded, fitted and posted; with many
    results arriving together the bot would hold them all. A job takes its answer's size from
    the :class:`ResultBudget` when the answer arrives (before its body is read) and gives it
    back once posted, so that the answers in memory at once stay within :data:`RESULT_MEMORY`,
    whatever their sizes; the others wait, their connections open, costing nothing. This, not a
    count of jobs, bounds how many post at once: small answers post many at a time.
    """

    def __init__(self, budget: ResultBudget) -> None:
        self._budget = budget
        self._held = 0

    async def acquire(self, size: int | None = None) -> None:
        """Wait for a place of ``size`` bytes (once; later calls do nothing)."""
        if not self._held:
            self._held = await self._budget.take(UNKNOWN_ANSWER if size is None else size)

    def release(self) -> None:
        """Give the place back, if taken."""
        if self._held:
            held, self._held = self._held, 0
            self._budget.give(held)


@dataclass(frozen=True)
class Answer:
    """What the API gave a job: raw image bytes and the tokens it reported."""

    images: list[bytes]
    usage: TokenUsage


class Pipeline:
    """Calls the API for one job at a time; shared by all workers."""

    def __init__(self, api: GPTProtoClient, *, poll: PollPolicy, edit_timeout_s: float,
                 preview_images: int, metrics: Metrics | None = None,
                 max_output_bytes: int = MAX_OUTPUT_BYTES) -> None:
        self.api = api
        self.metrics = metrics or Metrics(process=False)
        self.poll_policy = poll
        self.edit_timeout_s = edit_timeout_s
        self.preview_images = preview_images
        self.max_output_bytes = max_output_bytes
        self._results = ResultBudget(RESULT_MEMORY)

    def slot(self) -> PipelineSlot:
        """A job's (not yet taken) place in the results pipeline."""
        return PipelineSlot(self._results)

    async def generate(self, job_id: str, options: ImageOptions, slot: PipelineSlot,
                       listener: Listener, *, previews: int | None = None) -> Answer:
        """One synchronous generation; streamed with ``previews`` partial images (``PREVIEW_IMAGES``
        when not given) where the model can stream."""
        count = self.preview_images if previews is None else previews
        listener.update(phase=Msg("phase-generating"), clear_position=True)
        if count and options.spec.streams:
            async def on_partial(index: int, data: bytes) -> None:
                try:
                    small = await imaging.make_preview(data)
                except Exception as error:  # a preview is cosmetic; the paid image is not
                    log.info("job %s: preview %d unusable (%s); skipped", job_id, index + 1, error)
                    return
                listener.update(phase=Msg("phase-generating-preview", {"index": index + 1, "count": count}),
                                preview=small)

            result = await self.api.generate_stream(options, partial_images=count, on_partial=on_partial)
        else:
            result = await self.api.generate(options, before_body=slot.acquire)
        images = list(result.images)
        await slot.acquire(sum(len(image) for image in images))  # streamed answers bypass the hook
        return Answer(images, result.usage)

    async def edit(self, job_id: str, options: ImageOptions, slot: PipelineSlot, listener: Listener, *,
                   on_submitted: Callable[[str], Awaitable[None]]) -> Answer:
        """Submit an edit, record its prediction with ``on_submitted``, then poll it to the end."""
        listener.update(phase=Msg("phase-sending-edit"), clear_position=True)
        prediction = await self.api.submit_edit(options)
        await on_submitted(prediction.id)
        log.info("job %s: prediction %s submitted", job_id, prediction.id)
        # The deadline counts from the submission: time spent in our queue is not the provider's.
        return await self._finish_edit(prediction, time.time() + self.edit_timeout_s, slot, listener)

    async def resume_edit(self, prediction_id: str, *, submitted_at: float, slot: PipelineSlot,
                          listener: Listener) -> Answer:
        """Poll a prediction submitted before a restart (or by another process) to the end."""
        prediction = Prediction(id=prediction_id, status=PredictionStatus.CREATED)
        return await self._finish_edit(prediction, submitted_at + self.edit_timeout_s, slot, listener)

    async def _finish_edit(self, prediction: Prediction, deadline: float, slot: PipelineSlot,
                           listener: Listener) -> Answer:
        prediction = await self.poll(prediction, deadline=deadline, listener=listener)
        if not prediction.outputs:
            raise MalformedResponse(f"prediction {prediction.id} completed without outputs")
        await slot.acquire()  # the outputs are downloaded into memory from here on
        outputs = [await self.api.fetch_output(o, max_bytes=self.max_output_bytes) for o in prediction.outputs]
        # Asynchronous edits answer without ``usage``.
        return Answer(outputs, TokenUsage())

    async def poll(self, prediction: Prediction, *, deadline: float, listener: Listener | None) -> Prediction:
        """Poll until the prediction is final, with backoff and jitter, bounded by ``deadline``."""
        backoff = self.poll_policy.backoff()
        polls = 0
        while not prediction.status.final:
            remaining = deadline - time.time()
            if remaining <= 0 and polls:
                raise PredictionTimeout(self.edit_timeout_s, prediction_id=prediction.id)
            # At least one poll, even past the deadline: a prediction resumed after a restart may
            # have finished while the bot was down.
            await asyncio.sleep(max(0.0, min(remaining, backoff.next())))
            try:
                # Bounded by the deadline too: the client's own retries may otherwise run past it.
                async with asyncio.timeout(max(remaining, 0) + self.poll_policy.max_delay * 4):
                    prediction = await self.api.get_prediction(prediction.id)
            except TimeoutError:
                polls += 1
                log.info("prediction %s: a poll ran past the deadline", prediction.id)
                continue
            except (RateLimited, ProviderError, MalformedResponse, APIConnectionError, APITimeout) as error:
                polls += 1
                self.metrics.api_error(error)
                # The client already retried; keep polling until the deadline.
                log.info("prediction %s: poll failed (%s); polling on", prediction.id, error.admin_detail)
                if isinstance(error, RateLimited) and error.retry_after:
                    backoff.at_least(min(error.retry_after, 30.0))
                continue
            polls += 1
            if listener is not None and not prediction.status.final:
                waiting = prediction.status in (PredictionStatus.CREATED, PredictionStatus.QUEUED)
                listener.update(phase=Msg("phase-editing-queued" if waiting else "phase-editing"))
        if prediction.status is PredictionStatus.FAILED:
            raise PredictionFailed(prediction.error, prediction_id=prediction.id)
        log.debug("prediction %s completed after %d polls", prediction.id, polls)
        return prediction
