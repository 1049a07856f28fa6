"""End-to-end harness: the real bot, started in the test's loop with its real ``setup_hook``,
talking to a fake Discord (REST + gateway) and a fake GPTProto, both on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from PIL import Image

from bot.__main__ import new_session
from bot.app import ImageBot, point_discord_at
from bot.config import Settings
from bot.gptproto.client import GPTProtoClient, RetryPolicy
from bot.jobs import PollPolicy
from bot.storage.database import Database
from tests.fakes.discord import FakeDiscord
from tests.fakes.gptproto import FakeGPTProto

API_KEY = "sk-e2e-secret-key-0123456789abcdef"
DISCORD_TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.e2e-secret.token-0123456789abcdefghijklmn"


@dataclass
class RunningBot:
    """A bot started by the harness, with what it owns."""

    bot: ImageBot
    task: asyncio.Task[None]
    db: Database
    session: Any
    stopped: bool = False

    async def stop(self) -> None:
        """Stop like a shutdown: close the bot (jobs stay in the database), then its resources."""
        if self.stopped:
            return
        self.stopped = True
        await self.bot.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(self.task, timeout=5)
        await self.session.close()
        await self.db.close()


@pytest.fixture
async def gptproto() -> AsyncIterator[FakeGPTProto]:
    """The fake GPTProto API."""
    fake = FakeGPTProto(api_key=API_KEY)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    """The fake Discord, REST and gateway."""
    fake = FakeDiscord(token=DISCORD_TOKEN)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    """The bot's SQLite file (kept across a restart within one test)."""
    return tmp_path / "data" / "bot.db"


StartBot = Callable[..., Awaitable[RunningBot]]


QUICK_POLLS = PollPolicy(first=0.05, factor=2.2, max_delay=0.1)
"""Predictions polled every 50-100 ms instead of every 1-2.5 s."""


@pytest.fixture
def bot_options() -> dict[str, Any]:
    """Extra arguments of ``ImageBot`` for the bots this test starts (fixtures add to it)."""
    return {}


@pytest.fixture
async def start_bot(
    discord_fake: FakeDiscord, gptproto: FakeGPTProto, database_path: Path, bot_options: dict[str, Any]
) -> AsyncIterator[StartBot]:
    """Start the real bot against both fakes; ``**env`` overrides configuration variables."""
    running: list[RunningBot] = []
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)

    async def start(*, wait_ready: bool = True, bot_cls: type[ImageBot] = ImageBot, **env: str) -> RunningBot:
        variables = {
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "GPTPROTO_API_KEY": API_KEY,
            "GPTPROTO_BASE_URL": gptproto.base_url,
            "DISCORD_API_BASE_URL": discord_fake.rest_url,
            "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
            "DATABASE_URL": f"sqlite:///{database_path}",
            "DEV_GUILD_ID": str(discord_fake.guild_id),
            "PREVIEW_IMAGES": "0",
        }
        variables.update(env)
        settings = Settings.from_env(variables)
        point_discord_at(settings.discord_api_base_url, settings.discord_gateway_url)
        session = new_session()
        db = await Database.open(settings.database_url, limits=settings.quota_limits())
        api = GPTProtoClient(session, api_key=settings.api_key, base_url=settings.api_base_url,
                             retry=RetryPolicy(base_delay=0.01, max_delay=0.05, max_retry_after=2))
        bot = bot_cls(settings=settings, db=db, api=api, guild_ready_timeout=0.05, **bot_options)
        ready_before = len(discord_fake.identify_payloads)
        task = asyncio.create_task(bot.start(settings.discord_token), name="bot-under-test")
        handle = RunningBot(bot=bot, task=task, db=db, session=session)
        running.append(handle)
        if wait_ready:
            async def identified() -> None:
                while len(discord_fake.identify_payloads) <= ready_before or not bot.is_ready():
                    if task.done():
                        task.result()
                    await asyncio.sleep(0.01)
            await asyncio.wait_for(identified(), timeout=10)
        return handle

    try:
        yield start
    finally:
        for handle in reversed(running):
            await handle.stop()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


@pytest.fixture
def log_records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record of the bot, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    return caplog


def decode(data: bytes) -> Image.Image:
    """Open image bytes and make sure they are a complete image."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def has_files(interaction: Any) -> bool:
    """The interaction's message carries at least one file."""
    message = interaction.original()
    return bool(message and message.attachments)


def has_embed_title(interaction: Any, title: str) -> bool:
    """The interaction's message shows an embed with ``title``."""
    message = interaction.original()
    return bool(message and any(e.get("title") == title for e in message.embeds))


def ephemeral_text(interaction: Any) -> str | None:
    """The text of the private answer the member got, wherever discord.py put it."""
    for response in interaction.responses:
        data = response.get("data") or {}
        if data.get("flags", 0) & 64 and data.get("content"):
            return data["content"]
    for message in interaction.followups:
        if message.flags & 64 and message.content:
            return message.content
    return None


async def wait_jobs_finished(db: Database, seconds: float = 10) -> list[Any]:
    """Wait until no job is active (the message is posted a moment before the job is marked done)."""
    async def settled() -> list[Any]:
        while True:
            rows = await db.fetchall("SELECT * FROM jobs ORDER BY created_at")
            if rows and all(r["state"] not in ("queued", "running", "submitted", "delivering") for r in rows):
                return rows
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(settled(), seconds)


# -- helpers for the /edit, restart and button tests ---------------------------------------------


@pytest.fixture
def quick_polls(bot_options: dict[str, Any]) -> None:
    """Bots started by this test poll predictions every 50-100 ms (``QUICK_POLLS``)."""
    bot_options["poll"] = QUICK_POLLS


def modal_inputs(interaction: Any) -> tuple[str, list[str]]:
    """The custom id of the modal the bot opened in answer to ``interaction``, and its text inputs'."""
    (modal,) = [r["data"] for r in interaction.responses if r["type"] == 9]
    stack, inputs = list(modal.get("components") or []), []
    while stack:
        component = stack.pop(0)
        if component.get("type") == 4:
            inputs.append(component["custom_id"])
        stack[:0] = list(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            stack.insert(0, component["component"])
    return modal["custom_id"], inputs


def posted_images(fake: Any) -> list[Any]:
    """Every visible message of the bot that carries files (interaction messages and channel posts)."""
    return [m for m in fake.bot_messages() if m.attachments and not m.deleted and not m.ephemeral]


async def wait_job_state(db: Database, state: str, seconds: float = 10) -> Any:
    """Wait until a job is in ``state``; return its row."""
    async def reached() -> Any:
        while True:
            row = await db.fetchone("SELECT * FROM jobs WHERE state = ? ORDER BY created_at", (state,))
            if row is not None:
                return row
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(reached(), seconds)


async def wait_refusal(interaction: Any, seconds: float = 10) -> str:
    """Wait for the private sentence a member gets when a command is refused, and return it.

    Refusals found after Discord was answered (quota, job limit, attachments) arrive as a
    private follow-up once the public "thinking…" message is removed.
    """
    await interaction.wait_for(lambda i: ephemeral_text(i) is not None, timeout=seconds)
    return ephemeral_text(interaction) or ""
