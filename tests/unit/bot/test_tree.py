"""The one error path: the member's sentence and the admin's log line for every kind of error."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from discord import app_commands

from bot.errors import BotError, JobFailed, QuotaExceeded, ValidationError
from bot.gptproto.errors import AuthenticationError, ProviderError
from bot.tree import GENERIC_FAILURE, explain, log_error, report


def test_a_refusal_is_told_as_is_and_logged_quietly():
    """A member's refused request is their sentence, and INFO for the admin."""
    explained = explain(ValidationError("That size is not allowed."))
    assert (explained.sentence, explained.level, explained.unexpected) == (
        "That size is not allowed.", logging.INFO, False)


def test_a_failure_of_work_under_way_is_a_warning_with_the_admin_detail():
    """A provider failure tells the member a sentence and the admin its detail, at WARNING."""
    explained = explain(ProviderError(502, admin_detail="GPTProto answered HTTP 502 (bad gateway)"))
    assert "internal error" in explained.sentence
    assert explained.detail == "GPTProto answered HTTP 502 (bad gateway)"
    assert explained.level == logging.WARNING
    assert explain(JobFailed("Could not post.")).level == logging.WARNING


def test_an_account_problem_is_an_error_for_the_admin():
    """A wrong key is the admin's to fix: ERROR, and the member reads no detail of it."""
    explained = explain(AuthenticationError("the key was refused (401)"))
    assert explained.level == logging.ERROR
    assert "401" not in explained.sentence


def test_a_bug_gets_the_generic_sentence_and_a_traceback():
    """An unknown exception tells the member nothing internal and is logged with its traceback."""
    explained = explain(KeyError("secret internals"))
    assert explained.sentence == GENERIC_FAILURE and explained.unexpected
    assert "internals" not in explained.sentence


def test_discord_py_wrappers_are_unwrapped():
    """An error a command raised reaches the policy without discord.py's wrapper."""
    refusal = QuotaExceeded(scope="member", used=20, limit=20, requested=1,
                            resets_at=datetime(2026, 3, 15, tzinfo=UTC))
    wrapped = app_commands.CommandInvokeError(SimpleNamespace(qualified_name="generate", name="generate"), refusal)  # type: ignore[arg-type]
    assert explain(wrapped).sentence == str(refusal)


def test_missing_permissions_are_a_polite_sentence():
    """A failed permission check reads as a sentence, not an error name."""
    assert explain(app_commands.MissingPermissions(["manage_guild"])).sentence == (
        "You don't have permission to do that here.")


def test_log_error_logs_once_at_the_policys_level(caplog: pytest.LogCaptureFixture):
    """One line per error, at the level the policy gives, naming where it happened."""
    caplog.set_level(logging.DEBUG, logger="bot.tree")
    log_error("/generate", 42, ValidationError("No."))
    log_error("button reroll on job x", 42, RuntimeError("boom"))
    (refusal, bug) = [r for r in caplog.records if r.name == "bot.tree"]
    assert (refusal.levelno, refusal.getMessage()) == (logging.INFO, "/generate refused for user 42: No.")
    assert bug.levelno == logging.ERROR and bug.exc_info is not None


class Response:
    """The part of ``interaction.response`` the error path uses."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bool]] = []

    def is_done(self) -> bool:
        """Nothing was answered yet."""
        return False

    async def send_message(self, text: str, *, ephemeral: bool) -> None:
        """Record the answer."""
        self.sent.append((text, ephemeral))


async def test_report_answers_the_member_privately():
    """The member reads the policy's sentence, privately."""
    interaction = SimpleNamespace(response=Response(), user=SimpleNamespace(id=7))
    await report(interaction, BotError("Not now."), what="/jobs")  # type: ignore[arg-type]
    assert interaction.response.sent == [("Not now.", True)]
