"""The tests' clock: one settable clock for everything that takes ``clock=`` (``Database.open``,
``JobStore``, ``QuotaStore``), given to tests by the ``clock`` fixture of ``tests/conftest.py``.

It lives in a module of its own, not in the conftest, so tests can import ``FakeClock`` and
``START`` for annotations and date arithmetic (conftest files are not meant to be imported).
The fake Discord has its own clock of epoch seconds (``tests.fakes.discord.FakeClock``) for its
interaction deadlines; that one is part of the fake's interface, not this.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
"""Where every test's clock starts: noon UTC on Saturday 14 March 2026."""


class FakeClock:
    """A clock that only moves when the test moves it; call it for the time."""

    def __init__(self, now: datetime = START) -> None:
        self._now = now

    def __call__(self) -> datetime:
        """The current time: an aware UTC datetime, unless the test ``set`` another kind."""
        return self._now

    def advance(self, **kwargs: float) -> None:
        """Move the clock forward by ``timedelta(**kwargs)``, e.g. ``advance(seconds=5)``."""
        self._now += timedelta(**kwargs)

    def set(self, now: datetime) -> None:
        """Jump to ``now``, kept as given: a naive or non-UTC time stays one, so tests can check
        that the code under test normalises it."""
        self._now = now

    def __repr__(self) -> str:
        return f"<FakeClock {self._now.isoformat()}>"
