"""The audit log's start-up sweep against this process's own claims (a real SQLite file, a fake channel)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.audit import AuditLog
from bot.storage import Database
from bot.storage.audit import AuditEntry

GUILD = 1_000_000_000_000_001
LOG_CHANNEL = 3_000_000_000_000_009


class SlowChannel:
    """A log channel whose sends wait until the test lets them through; its history is empty."""

    def __init__(self) -> None:
        self.sends: list[dict[str, Any]] = []
        self.sending = asyncio.Event()
        self.go = asyncio.Event()

    async def send(self, **kwargs: Any) -> SimpleNamespace:
        self.sends.append(kwargs)
        self.sending.set()
        await self.go.wait()
        return SimpleNamespace(id=10_000 + len(self.sends))

    async def history(self, limit: int) -> AsyncIterator[Any]:
        for message in ():
            yield message


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with await Database.open(f"sqlite:///{tmp_path / 'bot.db'}") as database:
        yield database


async def test_the_start_up_sweep_leaves_this_process_s_own_claim_alone(db: Database) -> None:
    """Recovery at start reports job ends (their entries claimed, posts in flight) before the audit
    sweep runs; the sweep must not take such a claim for a stopped process's and post it again."""
    channel = SlowChannel()
    bot = SimpleNamespace(db=db, user=SimpleNamespace(id=1), policies=SimpleNamespace(forget=lambda _: None),
                          get_partial_messageable=lambda *_, **__: channel)
    audit = AuditLog(bot)  # type: ignore[arg-type]
    await db.audit.record(AuditEntry(job_id="j1", guild_id=GUILD, log_channel_id=LOG_CHANNEL, state="pending",
                                     outcome="interrupted", detail=None,
                                     payload={"user_id": 5, "channel_id": 6, "kind": "generate", "prompt": "a fox",
                                              "model": "gpt-image-1", "size": "auto", "images_requested": 1,
                                              "images_delivered": 0, "cost_micros": None}))
    live = asyncio.create_task(audit._post("j1"))  # what job_ended's task does
    await asyncio.wait_for(channel.sending.wait(), 5)
    assert (await db.audit.get("j1")).state == "claimed"

    sweep = asyncio.create_task(audit._recover())
    await asyncio.sleep(0.2)  # time for a wrong second post to start
    channel.go.set()
    await asyncio.wait_for(asyncio.gather(live, sweep), 5)

    assert len(channel.sends) == 1
    assert (await db.audit.get("j1")).state == "posted"
    assert not audit._claimed
