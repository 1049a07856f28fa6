"""The event loop ``python -m bot`` runs on (bot.__main__.run_loop)."""

from __future__ import annotations

import asyncio
import sys

import pytest

import bot.__main__ as bot_main
from bot.__main__ import run_loop


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop is not a dependency on Windows")
def test_the_bot_runs_on_uvloop_where_it_is_installed() -> None:
    """uvloop is a dependency (but on Windows): the bot's loop is uvloop's."""
    assert run_loop(_loop_module()).startswith("uvloop")


def test_without_uvloop_the_bot_runs_on_asyncio(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where uvloop cannot be imported (Windows), asyncio's own loop runs the bot."""
    monkeypatch.setattr(bot_main, "uvloop", None)
    assert run_loop(_loop_module()).startswith("asyncio")
