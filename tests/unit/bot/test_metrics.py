"""Unit tests for bot.metrics: the contract names, closed label sets, one registry per bot, spend in micro-dollars."""

from __future__ import annotations

import math

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.gptproto.errors import (
    APIConnectionError,
    AuthenticationError,
    ContentPolicyViolation,
    ProviderError,
    RateLimited,
)
from bot.gptproto.registry import MODELS
from bot.metrics import API_ERROR_LABELS, OUTCOMES, Metrics, api_error_kind

CONTRACT = {
    "imagebot_jobs": "counter",
    "imagebot_images_delivered": "counter",
    "imagebot_spend_usd": "counter",
    "imagebot_job_seconds": "histogram",
    "imagebot_queue_depth": "gauge",
    "imagebot_jobs_running": "gauge",
    "imagebot_api_errors": "counter",
    "imagebot_gateway_latency_seconds": "gauge",
}


def families(metrics: Metrics) -> dict:
    return {f.name: f for f in text_string_to_metric_families(metrics.exposition().decode())}


def test_every_contract_metric_is_exposed_with_its_type():
    """The exposition holds the eight Version 2 metrics under their names and types."""
    found = families(Metrics(process=False))
    assert {name: found[name].type for name in CONTRACT} == CONTRACT
    assert found["imagebot_jobs"].samples[0].name == "imagebot_jobs_total"


def test_a_delivered_job_counts_its_outcome_images_and_seconds():
    """job_finished(delivered) moves the job counter, the images counter and the histogram."""
    metrics = Metrics(process=False)
    metrics.job_finished("generate", "gpt-image-1", "delivered", 42.0, images=3)
    assert metrics.value("imagebot_jobs_total", {"kind": "generate", "model": "gpt-image-1",
                                                 "outcome": "delivered"}) == 1
    assert metrics.value("imagebot_images_delivered_total", {"model": "gpt-image-1"}) == 3
    assert metrics.value("imagebot_job_seconds_count", {"kind": "generate"}) == 1
    assert metrics.value("imagebot_job_seconds_sum", {"kind": "generate"}) == 42.0
    assert metrics.value("imagebot_job_seconds_bucket", {"kind": "generate", "le": "30.0"}) == 0
    assert metrics.value("imagebot_job_seconds_bucket", {"kind": "generate", "le": "45.0"}) == 1


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o != "delivered"])
def test_other_outcomes_count_only_the_job(outcome):
    """Failed, refused, cancelled and interrupted jobs move their counter only, not the histogram."""
    metrics = Metrics(process=False)
    metrics.job_finished("edit", "gpt-image-2-plus", outcome, 5.0)
    assert metrics.value("imagebot_jobs_total", {"kind": "edit", "model": "gpt-image-2-plus",
                                                 "outcome": outcome}) == 1
    assert metrics.value("imagebot_job_seconds_count", {"kind": "edit"}) == 0


def test_label_values_come_from_closed_sets():
    """Unknown models and kinds count as 'other'; nothing a member typed becomes a label value."""
    metrics = Metrics(process=False)
    metrics.job_finished("a prompt as kind", "dall-e-9 <script>", "failed")
    metrics.images_delivered("user typed this", 1)
    metrics.api_error("made-up")
    text = metrics.exposition().decode()
    assert "prompt" not in text and "dall-e-9" not in text and "made-up" not in text
    assert metrics.value("imagebot_jobs_total", {"kind": "other", "model": "other", "outcome": "failed"}) == 1
    for family in families(metrics).values():
        for sample in family.samples:
            labels = dict(sample.labels)
            assert labels.get("model", "other") in {*MODELS, "other"}
            assert labels.get("outcome", "delivered") in OUTCOMES
            assert labels.get("kind", "other") in {"generate", "edit", "other", *API_ERROR_LABELS}


def test_unknown_outcome_is_a_bug():
    """An outcome outside the five is refused loudly (a typo at a call site)."""
    with pytest.raises(ValueError, match="unknown job outcome"):
        Metrics(process=False).job_finished("generate", "gpt-image-1", "done")


def test_known_series_start_at_zero():
    """Every kind, model and outcome exists at 0 before the first job, so rate() sees the first one."""
    metrics = Metrics(process=False)
    assert metrics.value("imagebot_jobs_total", {"kind": "generate", "model": "gemini-2.5-flash-image",
                                                 "outcome": "refused"}) == 0
    assert metrics.value("imagebot_api_errors_total", {"kind": "rate_limited"}) == 0


def test_spend_is_kept_in_micro_dollars_and_exported_in_dollars():
    """spend() adds whole micro-dollars (no drift); the export is in dollars."""
    metrics = Metrics(process=False)
    for _ in range(10):
        metrics.spend("gpt-image-1", 100_000)  # 0.1 USD, ten times: exactly 1.0
    metrics.spend("nope", 1)
    assert metrics.value("imagebot_spend_usd_total", {"model": "gpt-image-1"}) == 1.0
    assert metrics.value("imagebot_spend_usd_total", {"model": "other"}) == 0.000001


@pytest.mark.parametrize(("error", "kind"), [
    (AuthenticationError("bad key"), "auth"),
    (RateLimited(retry_after=3), "rate_limited"),
    (ContentPolicyViolation(), "content_policy"),
    (ProviderError(502), "provider"),
    (APIConnectionError("refused"), "connection"),
    (RuntimeError("not an API error"), "other"),
])
def test_api_errors_are_labelled_by_their_kind(error, kind):
    """An API error is counted under the label of its class."""
    assert api_error_kind(error) == kind
    metrics = Metrics(process=False)
    metrics.api_error(error)
    assert metrics.value("imagebot_api_errors_total", {"kind": kind}) == 1


def test_each_bot_has_its_own_registry():
    """Two Metrics in one process count apart (tests run several bots at once)."""
    first, second = Metrics(process=False), Metrics(process=False)
    first.job_finished("generate", "gpt-image-1", "refused")
    assert second.value("imagebot_jobs_total", {"kind": "generate", "model": "gpt-image-1", "outcome": "refused"}) == 0


def test_gauges_are_read_at_scrape_time():
    """Queue depth, running jobs and latency come from callbacks when scraped; no latency before the first one."""
    metrics = Metrics(process=False)
    state = {"queued": 3, "running": 2, "latency": math.inf}
    metrics.watch(queue_depth=lambda: state["queued"], running=lambda: state["running"],
                  gateway_latency=lambda: state["latency"])
    assert metrics.value("imagebot_queue_depth") == 3 and metrics.value("imagebot_jobs_running") == 2
    assert metrics.value("imagebot_gateway_latency_seconds") is None
    state.update(queued=0, latency=0.042)
    assert metrics.value("imagebot_queue_depth") == 0
    assert metrics.value("imagebot_gateway_latency_seconds") == 0.042


def test_process_metrics_are_optional():
    """The process collector (memory, CPU) is on by default for the running bot."""
    assert "process_resident_memory_bytes" in Metrics().exposition().decode()
