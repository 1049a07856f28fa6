"""A real restart: ``python -m bot`` as its own process, killed with SIGKILL mid-job, started again."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import API_KEY, DISCORD_TOKEN, has_files
from tests.fakes.imagegen import make_image

ROOT = Path(__file__).resolve().parents[2]


async def spawn_bot(env: dict[str, str], log_path: Path) -> asyncio.subprocess.Process:
    """Start ``python -m bot`` with ``env``, its output appended to ``log_path``."""
    log = log_path.open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=log, stderr=log,
            stdin=asyncio.subprocess.DEVNULL)
    finally:
        log.close()


def bot_env(discord_fake, gptproto, database: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``python -m bot`` process against the fakes, on the SQLite file ``database``."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "GPTPROTO_API_KEY")},
        "DISCORD_TOKEN": DISCORD_TOKEN,
        "GPTPROTO_API_KEY": API_KEY,
        "GPTPROTO_BASE_URL": gptproto.base_url,
        "DISCORD_API_BASE_URL": discord_fake.rest_url,
        "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEV_GUILD_ID": str(discord_fake.guild_id),
        "LOG_LEVEL": "INFO",
        **extra,
    }


async def stop_bot(bot: asyncio.subprocess.Process) -> None:
    """End a bot process a test started, if it still runs: SIGTERM, then SIGKILL after 10 s."""
    if bot.returncode is not None:
        return
    bot.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(bot.wait(), 10)
    except TimeoutError:
        bot.kill()
        await bot.wait()


async def edit_until_submitted(discord_fake, database: Path):
    """Once the bot process serves: an ``/edit`` of a photo, returned once its prediction is submitted."""
    await discord_fake.wait_ready(timeout=20)
    await wait_until(lambda: discord_fake.guild_id in discord_fake.synced_commands, 20, "command sync")
    image = discord_fake.add_attachment(make_image(256, 256, fmt="png"), "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "make it snow", "image": image["id"]},
                                           attachments={"image": image})
    await wait_until(lambda: any(s == "submitted" for s, _ in job_states(database)), 20, "submission")
    return interaction


def job_states(database: Path) -> list[tuple[str, str | None]]:
    """(state, prediction id) of every job, read from the bot's SQLite file by another process."""
    if not database.exists():
        return []
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute("SELECT state, prediction_id FROM jobs").fetchall()


async def wait_until(predicate, seconds: float, what: str) -> None:
    """Poll ``predicate`` every 50 ms for at most ``seconds``."""
    async def loop() -> None:
        while not predicate():  # noqa: ASYNC110 - watches another process's files and sockets
            await asyncio.sleep(0.05)
    try:
        await asyncio.wait_for(loop(), seconds)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_sigkill_during_a_prediction_then_restart_delivers_once(discord_fake, gptproto, tmp_path):
    """Killing the bot process while an edit is pending loses nothing: after a restart it is delivered once."""
    database = tmp_path / "bot.db"
    env = bot_env(discord_fake, gptproto, database)
    log_path = tmp_path / "bot.log"
    gptproto.prediction_duration = 4.0

    bot = await spawn_bot(env, log_path)
    try:
        interaction = await edit_until_submitted(discord_fake, database)
        bot.send_signal(signal.SIGKILL)
        await asyncio.wait_for(bot.wait(), 10)
        assert bot.returncode == -signal.SIGKILL
        assert not has_files(interaction), "nothing was delivered before the kill"

        bot = await spawn_bot(env, log_path)
        await interaction.wait_for(has_files, timeout=30)
        await wait_until(lambda: [s for s, _ in job_states(database)] == ["done"], 10, "job done")
    finally:
        await stop_bot(bot)

    assert len(gptproto.edit_requests()) == 1, "the edit was submitted exactly once"
    delivered = [m for m in discord_fake.messages.values() if m.attachments and not m.deleted]
    assert len(delivered) == 1, "the result was posted exactly once"
    log_text = log_path.read_text()
    assert "recovery: job" in log_text and "polls prediction" in log_text
    assert API_KEY not in log_text and DISCORD_TOKEN not in log_text
