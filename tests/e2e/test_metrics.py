"""Metrics and health as an operator sees them: ``/metrics`` after real jobs, ``/healthz`` through a
gateway outage, and ``python -m bot health`` / ``check`` as processes.

The bot runs in the test's loop against the fakes (``start_bot``), with its metrics server started
the way ``python -m bot`` starts it, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import ImageBot
from bot.config import Settings
from bot.gptproto.registry import MODELS
from bot.health import HealthServer
from bot.metrics import OUTCOMES, Metrics
from tests.e2e.conftest import API_KEY, DISCORD_TOKEN, has_embed_title, has_files, wait_jobs_finished, wait_refusal

ROOT = Path(__file__).resolve().parents[2]
FAILURE_TITLE = "No image this time"


async def get(url: str) -> tuple[int, str, str]:
    """GET ``url``: status, content type, body."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session, \
            session.get(url) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of an exposition, by name and labels."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def sample(found: dict, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


@pytest.fixture
async def served(start_bot) -> AsyncIterator[Any]:
    """Start a bot with ``**env`` and serve its /metrics and /healthz on a free port; returns (running, base URL)."""
    servers: list[HealthServer] = []

    async def start(**env: str):
        running = await start_bot(**env)
        server = HealthServer(running.bot, running.bot.metrics, host="127.0.0.1", port=0)
        await server.start()
        servers.append(server)
        return running, f"http://127.0.0.1:{server.port}"

    try:
        yield start
    finally:
        for server in servers:
            await server.close()


async def test_metrics_count_a_delivered_a_failed_and_a_refused_job(served, discord_fake, gptproto):
    """After a failed, a delivered and an over-quota /generate, /metrics shows one of each and nothing else moved."""
    running, base = await served(USER_DAILY_IMAGES="1")
    status, content_type, text = await get(f"{base}/metrics")
    before = samples(text)
    assert status == 200 and content_type.startswith("text/plain")

    gptproto.fail_next("500", route="generate")
    failed = await discord_fake.slash("generate", {"prompt": "a failing lighthouse"})
    await failed.wait_for(lambda i: has_embed_title(i, FAILURE_TITLE), timeout=15)
    await wait_jobs_finished(running.db)
    delivered = await discord_fake.slash("generate", {"prompt": "a secret garden"})
    await delivered.wait_for(has_files, timeout=15)
    await wait_jobs_finished(running.db)
    refused = await discord_fake.slash("generate", {"prompt": "one too many"})
    assert "daily limit" in await wait_refusal(refused)

    status, _, text = await get(f"{base}/metrics")
    after = samples(text)
    job = {"kind": "generate", "model": "gpt-image-1"}
    for outcome in OUTCOMES:
        expected = 1 if outcome in ("delivered", "failed", "refused") else 0
        assert sample(before, "imagebot_jobs_total", **job, outcome=outcome) == 0
        assert sample(after, "imagebot_jobs_total", **job, outcome=outcome) == expected, outcome
    assert sample(after, "imagebot_images_delivered_total", model="gpt-image-1") == 1
    assert sample(after, "imagebot_job_seconds_count", kind="generate") == 1
    assert 0 < sample(after, "imagebot_job_seconds_sum", kind="generate") < 15
    assert sample(after, "imagebot_api_errors_total", kind="provider") == 1
    (cost,) = [r["cost_micros"] for r in await running.db.fetchall("SELECT cost_micros FROM jobs WHERE state = 'done'")]
    assert cost > 0 and sample(after, "imagebot_spend_usd_total", model="gpt-image-1") == cost / 1_000_000, \
        "spend counts what the delivered job cost, and nothing for the failed or refused one"
    assert sample(after, "imagebot_queue_depth") == 0 and sample(after, "imagebot_jobs_running") == 0
    moved = {key for key, value in after.items() if key[0].startswith("imagebot_")
             and value != before.get(key, 0) and not key[0].startswith("imagebot_job_seconds")
             and key[0] != "imagebot_gateway_latency_seconds"}
    assert {name for name, _ in moved} == {"imagebot_jobs_total", "imagebot_images_delivered_total",
                                           "imagebot_api_errors_total", "imagebot_spend_usd_total"}, moved
    # Closed label sets: no prompt, id or name ever becomes a label value.
    assert "lighthouse" not in text and "garden" not in text and str(discord_fake.member_id) not in text
    for name, labels in after:
        values = dict(labels)
        assert values.get("model", "other") in {*MODELS, "other"}, (name, values)


async def test_gauges_show_jobs_waiting_and_running(served, discord_fake, gptproto):
    """With one slot and a slow API, a scrape shows one job running and one waiting."""
    _, base = await served(MAX_CONCURRENT_JOBS="1")
    gptproto.latency = 1.5
    first = await discord_fake.slash("generate", {"prompt": "first"}, user_id=discord_fake.member_id)
    second = await discord_fake.slash("generate", {"prompt": "second"}, user_id=discord_fake.other_member_id)
    await second.wait_response()

    async def busy() -> dict:
        while True:
            found = samples((await get(f"{base}/metrics"))[2])
            if sample(found, "imagebot_jobs_running") == 1 and sample(found, "imagebot_queue_depth") == 1:
                return found
            await asyncio.sleep(0.05)

    await asyncio.wait_for(busy(), 10)
    await first.wait_for(has_files, timeout=15)
    await second.wait_for(has_files, timeout=15)


async def test_healthz_goes_503_while_the_gateway_is_down_and_back_to_200(served, discord_fake):
    """/healthz says ok with the bot connected, 503 with the reason while the gateway is down, ok once it resumes."""
    _, base = await served()
    status, content_type, text = await get(f"{base}/healthz")
    body = json.loads(text)
    assert status == 200 and content_type.startswith("application/json"), text
    assert body["status"] == "ok" and body["gateway"] == "connected" and body["workers"] == "alive"
    assert (body["queued"], body["running"]) == (0, 0)

    await discord_fake.take_gateway_down()

    async def health_is(code: int) -> dict:
        while True:
            status, _, text = await get(f"{base}/healthz")
            if status == code:
                return json.loads(text)
            await asyncio.sleep(0.05)

    down = await asyncio.wait_for(health_is(503), 10)
    assert down == {"status": "unavailable", "reason": "Discord gateway disconnected; reconnecting"}
    discord_fake.bring_gateway_up()
    up = await asyncio.wait_for(health_is(200), 20)
    assert up["status"] == "ok" and discord_fake.resume_count == 1


async def test_healthz_says_503_when_a_worker_died(served):
    """A job worker that stopped makes /healthz answer 503 naming it."""
    running, base = await served()
    worker = running.bot.jobs._workers[0]
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)
    status, _, text = await get(f"{base}/healthz")
    assert (status, json.loads(text)) == (503, {"status": "unavailable", "reason": "a job worker has stopped"})


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def run_cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, float]:
    """``python -m bot ARGS``: exit code, output, seconds taken."""
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    loop = asyncio.get_running_loop()
    started = loop.time()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env={**base, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, out.decode(), loop.time() - started


async def test_health_command_exit_codes(served, discord_fake, gptproto, tmp_path):
    """`python -m bot health` exits 0 when /healthz says ok, 1 when it says 503, nothing answers, or the port is off."""
    _, base = await served()
    port = base.rsplit(":", 1)[1]
    env = {"DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": API_KEY, "METRICS_PORT": port,
           "METRICS_HOST": "0.0.0.0"}  # a wildcard bind is asked on 127.0.0.1

    code, out, _ = await run_cli("health", env=env, cwd=tmp_path)
    assert code == 0 and out.startswith("ok: gateway connected"), out

    await discord_fake.take_gateway_down()
    code, out, _ = await run_cli("health", env=env, cwd=tmp_path)
    discord_fake.bring_gateway_up()
    assert code == 1 and out.strip() == "unhealthy: Discord gateway disconnected; reconnecting", out

    code, out, seconds = await run_cli("health", env={**env, "METRICS_PORT": str(free_port())}, cwd=tmp_path)
    assert code == 1 and out.startswith("unhealthy: nothing answers at http://127.0.0.1:"), out
    assert len(out.strip().splitlines()) == 1 and seconds < 10

    code, out, _ = await run_cli("health", env={k: v for k, v in env.items() if k != "METRICS_PORT"}, cwd=tmp_path)
    assert code == 1 and out.strip() == "unhealthy: METRICS_PORT is not set, so the bot serves no /healthz to ask"
    assert DISCORD_TOKEN not in out and API_KEY not in out


async def test_health_command_gives_up_on_a_port_that_never_answers(tmp_path):
    """A port that accepts connections but never answers costs the bounded timeout, not a hang."""
    silent = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        env = {"DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": API_KEY, "METRICS_PORT": str(port)}
        code, out, seconds = await run_cli("health", env=env, cwd=tmp_path)
    finally:
        silent.close()
    assert code == 1 and out.strip() == f"unhealthy: no answer from http://127.0.0.1:{port}/healthz within 3 s"
    assert seconds < 10


async def test_check_reports_the_metrics_port(discord_fake, gptproto, tmp_path):
    """`python -m bot check` says where /metrics and /healthz will be served when METRICS_PORT is set."""
    env = {"DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": API_KEY, "GPTPROTO_BASE_URL": gptproto.base_url,
           "DISCORD_API_BASE_URL": discord_fake.rest_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
           "METRICS_PORT": "9464", "METRICS_HOST": "0.0.0.0"}
    code, out, _ = await run_cli("check", env=env, cwd=tmp_path)
    assert code == 0, out
    assert "[ok] metrics: /metrics and /healthz on http://0.0.0.0:9464 (METRICS_HOST, METRICS_PORT)" in out


async def test_metrics_and_healthz_answer_before_the_bot_set_itself_up():
    """A scrape (or a health check) that comes before ``setup_hook`` built the job runner reads
    zeros and "unavailable", not an error."""
    settings = Settings.from_env({"DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": API_KEY})
    metrics = Metrics(process=False)
    bot = ImageBot(settings=settings, db=None, api=None, metrics=metrics)  # type: ignore[arg-type]
    server = HealthServer(bot, metrics, host="127.0.0.1", port=0)
    await server.start()
    try:
        status, _, body = await get(f"http://{server.address}/metrics")
        assert status == 200 and "imagebot_queue_depth 0.0" in body
        status, _, body = await get(f"http://{server.address}/healthz")
        assert status == 503 and json.loads(body)["status"] == "unavailable"
    finally:
        await server.close()
        await bot.close()
