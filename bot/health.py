"""``GET /metrics`` and ``GET /healthz`` on ``METRICS_HOST:METRICS_PORT``, and ``python -m bot health``.

The server is an ``aiohttp.web`` application on the bot's own event loop: a scrape reads the
job runner's counts and the gateway's latency directly, with no thread and no lock. Both routes
answer from memory, so a scrape costs well under a millisecond of the loop.

``/healthz`` answers 200 with a small JSON body when the gateway is connected and every job
worker is alive, and 503 with the reason otherwise (connecting, reconnecting, stopping, a dead
worker). ``python -m bot health`` asks it (Docker's ``HEALTHCHECK``) and exits 0 or 1.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from bot.app import ImageBot
    from bot.jobs import JobRunner
    from bot.metrics import Metrics

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
#: Seconds ``python -m bot health`` waits for an answer (Docker's own timeout is 30 s).
ASK_TIMEOUT = 3.0


def gateway_latency(bot: ImageBot) -> float | None:
    """Seconds between the last heartbeat and its acknowledgement, or ``None`` before the first."""
    latency = bot.latency
    return latency if math.isfinite(latency) else None


def gateway_open(bot: ImageBot) -> bool:
    """Whether every gateway connection of the bot (one per shard it runs) is open."""
    shards = getattr(bot, "shards", None)
    if shards:
        return all(not shard.is_closed() for shard in shards.values())
    ws = bot.ws
    return ws is not None and ws.open


def health_of(bot: ImageBot) -> tuple[bool, dict[str, Any]]:
    """Whether the bot is healthy, and the JSON body that says so (or why not)."""
    reason = None
    if getattr(bot, "stopping", False) or bot.is_closed():
        reason = "stopping"
    elif not bot.is_ready():
        reason = "connecting to the Discord gateway"
    elif not gateway_open(bot):
        reason = "Discord gateway disconnected; reconnecting"
    elif (jobs := getattr(bot, "jobs", None)) is None:
        reason = "starting"  # the job runner is built in setup_hook
    elif not jobs.workers_alive():
        reason = "a job worker has stopped"
    if reason is not None:
        return False, {"status": "unavailable", "reason": reason}
    assert jobs is not None
    latency = gateway_latency(bot)
    return True, {
        "status": "ok",
        "gateway": "connected",
        "gateway_latency_ms": round(latency * 1000, 1) if latency is not None else None,
        "workers": "alive",
        "queued": jobs.queue_depth(),
        "running": jobs.running_count(),
    }


def watch(metrics: Metrics, bot: ImageBot) -> None:
    """Let the gauges read the bot's queue, running jobs and gateway latency at scrape time.

    The job runner exists only once ``setup_hook`` ran: a scrape before that reads zeros.
    """
    def jobs() -> JobRunner | None:
        return getattr(bot, "jobs", None)

    metrics.watch(
        queue_depth=lambda: runner.queue_depth() if (runner := jobs()) is not None else 0,
        running=lambda: runner.running_count() if (runner := jobs()) is not None else 0,
        gateway_latency=lambda: gateway_latency(bot),
    )


class HealthServer:
    """The HTTP side: ``/metrics`` and ``/healthz`` for one bot. ``port=0`` picks a free port."""

    def __init__(self, bot: ImageBot, metrics: Metrics, *, host: str, port: int) -> None:
        self.bot = bot
        self.metrics = metrics
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen; raises ``OSError`` when the port is taken."""
        watch(self.metrics, self.bot)
        app = web.Application()
        app.router.add_get(METRICS_PATH, self._metrics)
        app.router.add_get(HEALTH_PATH, self._health)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]
        log.info("Metrics on http://%s%s and health on %s", self.address, METRICS_PATH, HEALTH_PATH)

    @property
    def address(self) -> str:
        """``host:port`` (IPv6 hosts in brackets)."""
        return host_port(self.host, self.port)

    async def close(self) -> None:
        """Stop listening (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> HealthServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _health(self, request: web.Request) -> web.Response:
        ok, body = health_of(self.bot)
        return web.json_response(body, status=200 if ok else 503)


def host_port(host: str, port: int) -> str:
    """``host:port``, with an IPv6 address in brackets."""
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]:{port}"
    except ValueError:
        pass
    return f"{host}:{port}"


def local_host(host: str) -> str:
    """The address to ask on this machine: a wildcard bind (``0.0.0.0``, ``::``) means loopback."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)


async def ask(host: str, port: int, *, within: float = ASK_TIMEOUT) -> tuple[bool, str]:
    """Ask ``/healthz``; ``(healthy, one line saying what was found)``."""
    url = f"http://{host_port(local_host(host), port)}{HEALTH_PATH}"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=within)) as session, \
                session.get(url) as response:
            status = response.status
            body = await response.json(content_type=None)
    except TimeoutError:
        return False, f"unhealthy: no answer from {url} within {within:g} s"
    except aiohttp.ClientConnectionError as error:
        return False, f"unhealthy: nothing answers at {url} ({type(error).__name__}); is the bot running?"
    except (aiohttp.ClientError, ValueError) as error:
        return False, f"unhealthy: {url} answered something that is not the bot's health ({type(error).__name__})"
    if not isinstance(body, dict):
        return False, f"unhealthy: {url} answered something that is not the bot's health"
    if status == 200 and body.get("status") == "ok":
        details = ", ".join(f"{k} {v}" for k, v in body.items() if k != "status" and v is not None)
        return True, f"ok: {details}"
    return False, f"unhealthy: {body.get('reason') or f'HTTP {status}'}"
