"""Every storage test runs on both databases: a SQLite file and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the test's database lives: a new SQLite file, or the session's PostgreSQL database
    emptied for the test (skipped, saying so, where no PostgreSQL server answers)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=BACKENDS)
def own_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Like ``db_url``, but a PostgreSQL database of this test alone, for tests that change the schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.db'}"
    return request.getfixturevalue("own_postgres_url")
