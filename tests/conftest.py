"""Fixtures shared by every test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from tests import pg
from tests.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """A clock at ``tests.clock.START`` (noon UTC on 14 March 2026) that moves only when the test
    calls ``advance`` or ``set``; pass it as ``clock=`` to ``Database.open`` and the stores."""
    return FakeClock()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A new PostgreSQL database for this test session (random name), dropped at its end.

    Skips the test, saying why, where no server answers on 127.0.0.1:5432 (``TEST_POSTGRES_URL``).
    """
    url = pg.create_database_sync()
    if url is None:
        if os.environ.get("REQUIRE_POSTGRES"):  # CI: a missing server is a failure, not a skip
            pytest.fail(pg.unavailable_reason().replace("are skipped", "cannot run"), pytrace=False)
        pytest.skip(pg.unavailable_reason())
    try:
        yield url
    finally:
        pg.drop_database_sync(url)


@pytest.fixture
async def postgres_url(postgres_database: str) -> AsyncIterator[str]:
    """The session's PostgreSQL database, emptied for this test (the schema stays)."""
    await pg.empty_tables(postgres_database)
    yield postgres_database


@pytest.fixture
async def own_postgres_url(postgres_database: str) -> AsyncIterator[str]:
    """A PostgreSQL database of this test alone (for tests that change the schema), dropped after it."""
    url = await pg.create_database()
    try:
        yield url
    finally:
        await pg.drop_database(url)
