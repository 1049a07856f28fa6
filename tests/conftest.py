"""Fixtures shared by every test."""

from __future__ import annotations

import pytest

from tests.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """A clock at ``tests.clock.START`` (noon UTC on 14 March 2026) that moves only when the test
    calls ``advance`` or ``set``; pass it as ``clock=`` to ``Database.open`` and the stores."""
    return FakeClock()
