"""Fixtures of the job tests: the database their runner uses (see ``harness``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database
from tests.unit.bot.jobs.harness import settings


@pytest.fixture
def env() -> dict[str, str]:
    """Configuration variables of the test's bot (a test parametrizes them to change them)."""
    return {}


@pytest.fixture
async def db(tmp_path: Path, env: dict[str, str]) -> AsyncIterator[Database]:
    """A new SQLite file with the quota limits of ``env``."""
    async with await Database.open(f"sqlite:///{tmp_path / 'bot.db'}",
                                   limits=settings(**env).quota_limits()) as database:
        yield database
