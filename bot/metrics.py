"""The bot's Prometheus metrics: what happened to jobs, what the API refused, how busy it is now.

One :class:`Metrics` per bot, on its own ``CollectorRegistry`` (tests run several bots in one
process, and the global registry would mix them). Counting is a dictionary look-up and an
addition under a lock, cheap enough for every job; the figures that describe *now* (queue depth,
jobs running, gateway latency) are not kept up to date at all but read through callbacks when
Prometheus scrapes (:meth:`Metrics.watch`).

Label values come from closed sets only, so the number of series is bounded whatever members
type: job kinds, the models of the registry in :mod:`bot.gptproto.registry` (anything else is
``other``), the five outcomes, and the kinds of API error below. Never a prompt, an id or a name.

``bot.health`` serves :meth:`Metrics.exposition` on ``GET /metrics``.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.gptproto import errors
from bot.gptproto.registry import EDIT_MODELS, GENERATE_MODELS, MODELS, JobKind

OTHER = "other"
KINDS = tuple(JobKind)
OUTCOMES = ("delivered", "failed", "refused", "cancelled", "interrupted")
#: API errors by class (the first match along the class's ancestors); anything else is ``other``.
API_ERROR_KINDS: dict[type[BaseException], str] = {
    errors.AuthenticationError: "auth",
    errors.InsufficientBalance: "balance",
    errors.PermissionDenied: "permission",
    errors.RateLimited: "rate_limited",
    errors.ContentPolicyViolation: "content_policy",
    errors.InputUnavailable: "input_unavailable",
    errors.BadRequest: "bad_request",
    errors.ProviderError: "provider",
    errors.APITimeout: "timeout",
    errors.APIConnectionError: "connection",
    errors.MalformedResponse: "malformed",
    errors.PredictionFailed: "prediction_failed",
    errors.PredictionTimeout: "prediction_timeout",
    errors.StreamBroken: "stream_broken",
    errors.NotFound: "not_found",
}
API_ERROR_LABELS = (*dict.fromkeys(API_ERROR_KINDS.values()), OTHER)
#: Seconds from acceptance to the posted result: generation takes 20 s to over 3 minutes.
JOB_SECONDS_BUCKETS = (1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1800, math.inf)
MICRO = 1_000_000


def model_label(model: str | None) -> str:
    """The model's name when the registry knows it, else ``other``."""
    return model if model in MODELS else OTHER


def kind_label(kind: str | None) -> str:
    """``generate`` or ``edit``, else ``other``."""
    return kind if kind in KINDS else OTHER


def api_error_kind(error: BaseException) -> str:
    """The label of an API error: its kind from :data:`API_ERROR_KINDS`, else ``other``."""
    for cls in type(error).__mro__:
        kind = API_ERROR_KINDS.get(cls)
        if kind is not None:
            return kind
    return OTHER


class _Now(Collector):
    """The figures read at scrape time: spend (kept in integer micro-dollars), queue, running, latency."""

    def __init__(self) -> None:
        self.queue_depth: Callable[[], int] | None = None
        self.running: Callable[[], int] | None = None
        self.gateway_latency: Callable[[], float | None] | None = None
        self.spend_micro_usd: dict[str, int] = dict.fromkeys((*MODELS, OTHER), 0)
        self.lock = threading.Lock()

    def collect(self) -> Iterator[Metric]:
        spend = CounterMetricFamily(
            "imagebot_spend_usd", "Money spent on the image API, in US dollars, by model.", labels=["model"])
        with self.lock:
            amounts = sorted(self.spend_micro_usd.items())
        for model, micro in amounts:
            spend.add_metric([model], micro / MICRO)
        yield spend
        for name, text, read in (
            ("imagebot_queue_depth", "Jobs waiting for a free slot.", self.queue_depth),
            ("imagebot_jobs_running", "Jobs running now (calling the API, polling or posting).", self.running),
            ("imagebot_gateway_latency_seconds", "Time between a gateway heartbeat and its acknowledgement.",
             self.gateway_latency),
        ):
            gauge = GaugeMetricFamily(name, text)
            value = read() if read is not None else None
            # No sample rather than +Inf before the first heartbeat is acknowledged.
            if value is not None and math.isfinite(value):
                gauge.add_metric([], float(value))
            yield gauge


class Metrics:
    """Counters and gauges of one bot, on its own registry.

    Every method is cheap and never raises for an unknown model or kind (they count as
    ``other``); an unknown outcome is a bug and raises ``ValueError``.
    """

    def __init__(self, *, process: bool = True) -> None:
        self.registry = CollectorRegistry()
        self.jobs = Counter(
            "imagebot_jobs", "Jobs that ended, by kind, model and outcome.",
            ["kind", "model", "outcome"], registry=self.registry)
        self.images = Counter(
            "imagebot_images_delivered", "Images posted to Discord, by model.", ["model"], registry=self.registry)
        self.job_seconds = Histogram(
            "imagebot_job_seconds", "Seconds from a job's acceptance to its posted result, by kind.",
            ["kind"], buckets=JOB_SECONDS_BUCKETS, registry=self.registry)
        self.api_errors = Counter(
            "imagebot_api_errors", "Errors from the image API that reached the job runner, by kind of error.",
            ["kind"], registry=self.registry)
        self._now = _Now()
        self.registry.register(self._now)
        if process:
            # process_resident_memory_bytes, process_cpu_seconds_total, …: read from /proc at scrape.
            ProcessCollector(registry=self.registry)
        self._zero()

    def _zero(self) -> None:
        """Create every known series at 0, so a rate() sees the first job of each."""
        for kind, models in (("generate", GENERATE_MODELS), ("edit", EDIT_MODELS)):
            self.job_seconds.labels(kind)
            for model in models:
                for outcome in OUTCOMES:
                    self.jobs.labels(kind, model, outcome)
        for model in MODELS:
            self.images.labels(model)
        for kind in API_ERROR_LABELS:
            self.api_errors.labels(kind)

    # -- counting ------------------------------------------------------------------------------

    def job_finished(self, kind: str, model: str | None, outcome: str, seconds: float | None = None,
                     *, images: int = 0) -> None:
        """A job ended with ``outcome``; a delivered one also counts its images and its seconds."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown job outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
        kind, model = kind_label(kind), model_label(model)
        self.jobs.labels(kind, model, outcome).inc()
        if outcome == "delivered":
            if seconds is not None:
                self.job_seconds.labels(kind).observe(max(0.0, seconds))
            if images:
                self.images_delivered(model, images)

    def images_delivered(self, model: str | None, n: int) -> None:
        """``n`` images of ``model`` were posted."""
        if n > 0:
            self.images.labels(model_label(model)).inc(n)

    def spend(self, model: str | None, micro_usd: int) -> None:
        """``micro_usd`` millionths of a dollar were spent on ``model`` (whole numbers: no rounding drift)."""
        if micro_usd <= 0:
            return
        label = model_label(model)
        with self._now.lock:
            self._now.spend_micro_usd[label] = self._now.spend_micro_usd.get(label, 0) + int(micro_usd)

    def api_error(self, error: BaseException | str) -> None:
        """One error from the image API (an exception, or the label of its kind)."""
        kind = error if isinstance(error, str) else api_error_kind(error)
        self.api_errors.labels(kind if kind in API_ERROR_LABELS else OTHER).inc()

    # -- reading -------------------------------------------------------------------------------

    def watch(self, *, queue_depth: Callable[[], int], running: Callable[[], int],
              gateway_latency: Callable[[], float | None]) -> None:
        """Where the gauges read their values at scrape time (on the event loop)."""
        self._now.queue_depth = queue_depth
        self._now.running = running
        self._now.gateway_latency = gateway_latency

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format (``generate_latest`` of this registry)."""
        return generate_latest(self.registry)

    def value(self, name: str, labels: dict[str, str] | None = None) -> float | None:
        """One sample's current value (for tests and ``check``), or ``None``."""
        return self.registry.get_sample_value(name, labels or {})
