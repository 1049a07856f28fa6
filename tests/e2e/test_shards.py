"""Shards: one process running every shard Discord recommends, or only ``SHARD_IDS`` of
``SHARD_COUNT``; guilds reach the process that runs their shard; only shard 0 pushes commands."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bot.app import ImageBot, ShardedImageBot, bot_class
from bot.config import Settings
from tests.e2e.conftest import API_KEY, DISCORD_TOKEN, has_files
from tests.fakes.discord_models import shard_of


@pytest.fixture(autouse=True)
def no_identify_delay(bot_options: dict[str, Any]) -> None:
    """Shards identify at once (Discord's 5 s between IDENTIFYs would only slow the tests)."""
    bot_options["identify_delay"] = 0


def settings_for(discord_fake: Any, **env: str) -> Settings:
    """Settings pointing at the fake Discord, with ``env`` on top."""
    return Settings.from_env({"DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": API_KEY,
                              "DISCORD_API_BASE_URL": discord_fake.rest_url,
                              "DISCORD_GATEWAY_URL": discord_fake.gateway_url, **env})


async def test_one_process_runs_every_shard_discord_recommends(start_bot, discord_fake, gptproto) -> None:
    """Without SHARD_COUNT, Discord's recommendation of 2 shards runs both here, through the
    configured DISCORD_GATEWAY_URL (not the URL /gateway/bot names), and both shards' guilds are served."""
    discord_fake.recommended_shards = 2
    discord_fake.gateway_bot_url = "ws://127.0.0.1:9/gateway"  # nothing listens there
    other = discord_fake.add_guild("Other shard", shard=(1 - shard_of(discord_fake.guild_id, 2), 2))
    assert await bot_class(settings_for(discord_fake)) is ShardedImageBot
    running = await start_bot(bot_cls=ShardedImageBot, DEV_GUILD_ID="")
    assert sorted(p["shard"] for p in discord_fake.identify_payloads) == [[0, 2], [1, 2]]
    assert running.bot.shard_count == 2 and len(running.bot.guilds) == 2
    here = await discord_fake.slash("generate", {"prompt": "first shard's server"})
    there = await discord_fake.slash("generate", {"prompt": "second shard's server"}, guild_id=other.id)
    await here.wait_for(has_files, timeout=15)
    await there.wait_for(has_files, timeout=15)
    assert discord_fake.internal_errors == []


async def test_one_recommended_shard_keeps_the_plain_client(discord_fake, gptproto) -> None:
    """Discord recommending one shard keeps the unsharded bot, as before shards existed."""
    with discord_fake.patch_discord_py():
        assert await bot_class(settings_for(discord_fake)) is ImageBot
        assert await bot_class(settings_for(discord_fake, SHARD_COUNT="1")) is ShardedImageBot
    assert ("GET", "/gateway/bot") in discord_fake.requests


async def test_a_process_runs_only_its_shard_ids_and_only_shard_0_pushes_commands(start_bot, discord_fake,
                                                                                  gptproto, postgres_url) -> None:
    """SHARD_IDS=1 of SHARD_COUNT=2 identifies as shard 1 alone, sees only its guilds and pushes no
    commands; the process with shard 0 pushes them."""
    one = discord_fake.add_guild("Shard one", shard=(1, 2))
    zero = discord_fake.add_guild("Shard zero", shard=(0, 2))
    on_shard = {n: {g for g in discord_fake.guilds if shard_of(g, 2) == n} for n in (0, 1)}
    assert one.id in on_shard[1] and zero.id in on_shard[0]
    first = await start_bot(bot_cls=ShardedImageBot, SHARD_COUNT="2", SHARD_IDS="1", DATABASE_URL=postgres_url)
    assert [p["shard"] for p in discord_fake.identify_payloads] == [[1, 2]]
    assert {g.id for g in first.bot.guilds} == on_shard[1]
    assert discord_fake.command_put_count == 0 and not first.bot.runs_shard_zero
    second = await start_bot(bot_cls=ShardedImageBot, SHARD_COUNT="2", SHARD_IDS="0", DATABASE_URL=postgres_url)
    assert [p["shard"] for p in discord_fake.identify_payloads] == [[1, 2], [0, 2]]
    assert discord_fake.command_put_count == 1 and second.bot.runs_shard_zero
    assert {g.id for g in second.bot.guilds} == on_shard[0]


async def test_an_invalid_shard_is_refused_by_the_fake(discord_fake) -> None:
    """The fake closes a connection that identifies as a shard outside its count (code 4010)."""

    async with aiohttp.ClientSession() as session, session.ws_connect(discord_fake.gateway_url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_json({"op": 2, "d": {"token": DISCORD_TOKEN, "intents": 1, "shard": [2, 2],
                                           "properties": {}}})
        message = await ws.receive()
        assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 4010


async def test_identify_waits_between_batches_of_max_concurrency(monkeypatch: pytest.MonkeyPatch,
                                                                discord_fake) -> None:
    """Shards of one max_concurrency batch identify together; the next batch waits identify_delay."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("bot.app.asyncio.sleep", sleep)
    bot = ShardedImageBot(settings=settings_for(discord_fake, SHARD_COUNT="4"), db=None, api=None)  # type: ignore[arg-type]
    bot.max_concurrency = 2
    for shard_id, initial in ((0, True), (1, False), (2, False), (3, False)):
        await bot.before_identify_hook(shard_id, initial=initial)
    assert waits == [5.0]
    bot.max_concurrency = 1
    await bot.before_identify_hook(1, initial=False)
    assert waits == [5.0, 5.0]
