"""Recovery after a restart, against a real SQLite file and a Discord whose answers the test decides.

The runner is the real ``JobRunner`` (its workers not started, so queued jobs stay queued); its
``Delivery`` is replaced by :class:`ScriptedDelivery`, which records what the member would be
told and answers as each test says.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.config import Settings
from bot.gptproto.registry import ImageOptions, JobKind
from bot.jobs import Delivery, JobRunner
from bot.jobs.recovery import Recovery
from bot.metrics import Metrics
from bot.storage import Database, ReplyTarget
from bot.storage.intake import Intake

GUILD = 1_000_000_000_000_001
USER = 2_000_000_000_000_001
CHANNEL = 3_000_000_000_000_001


class ScriptedDelivery(Delivery):
    """A delivery that talks to no Discord: ``told`` records each message, ``reachable`` says whether
    Discord answers, ``original`` is the id of the interaction's first answer."""

    def __init__(self, jobs: Any) -> None:
        super().__init__(client=None, jobs=jobs)  # type: ignore[arg-type]
        self.told: list[tuple[str, discord.Embed]] = []
        self.reachable = True
        self.original = 77
        self.fetch_error: Exception | None = None

    async def tell(self, job: Any, embed: discord.Embed) -> bool:
        if not self.reachable:
            return False
        self.told.append((job.job_id if isinstance(job, Intake) else job.id, embed))
        return True

    def webhook(self, job: Any) -> Any:
        """The interaction's webhook: its ``@original`` is ``original``, or ``fetch_error`` is raised."""
        async def fetch_message(message_id: str) -> Any:
            if self.fetch_error is not None:
                raise self.fetch_error
            return SimpleNamespace(id=self.original)
        return SimpleNamespace(fetch_message=fetch_message)


def http_error(cls: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    """An error as discord.py raises it for Discord's answer ``status`` with JSON error ``code``."""
    return cls(SimpleNamespace(status=status, reason="x"), {"code": code, "message": "x"})


class Audit:
    def __init__(self) -> None:
        self.ended: list[tuple[str, str]] = []

    def job_ended(self, job: Any, outcome: Any, detail: Any = None) -> None:
        self.ended.append((job.id, str(outcome)))


def settings(**env: str) -> Settings:
    return Settings.from_env({"DISCORD_TOKEN": "t", "GPTPROTO_API_KEY": "k", "PREVIEW_IMAGES": "0", **env})


@pytest.fixture
def env() -> dict[str, str]:
    """Configuration variables of the test's bot (a test changes them before asking for ``db``)."""
    return {}


@pytest.fixture
async def db(tmp_path: Path, env: dict[str, str]) -> AsyncIterator[Database]:
    async with await Database.open(f"sqlite:///{tmp_path / 'bot.db'}",
                                   limits=settings(**env).quota_limits()) as database:
        yield database


def make_runner(db: Database, **env: str) -> JobRunner:
    chosen = settings(**env)
    delivery = ScriptedDelivery(db.jobs)
    policies = SimpleNamespace(get=_no_policy, forget=lambda _: None)
    return JobRunner(settings=chosen, db=db, api=None, delivery=delivery,  # type: ignore[arg-type]
                     metrics=Metrics(process=False), policies=policies, audit=Audit())  # type: ignore[arg-type]


async def _no_policy(guild_id: int | None) -> Any:
    raise AssertionError("no policy is asked in these tests")


def intake(job_id: str = "r1", *, age: float = 5.0) -> Intake:
    """A request received ``age`` seconds ago, never stored as a job."""
    created = time.time() - age
    return Intake(job_id=job_id, kind=JobKind.GENERATE, user_id=USER, guild_id=GUILD,
                  options=ImageOptions(model="gpt-image-1", prompt="a lighthouse"),
                  reply=ReplyTarget(channel_id=CHANNEL, application_id=9, interaction_id=8, token="tok",
                                    created_at=created),
                  parent_job_id=None, created_at=created)


# -- requests never stored as jobs ------------------------------------------------------------------


@pytest.mark.parametrize("env", [{"USER_DAILY_IMAGES": "0"}])
async def test_a_refused_request_stays_until_its_member_is_told(db: Database, env: dict[str, str]) -> None:
    """A request refused at recovery (its quota is gone) is discarded only once the member was told;
    while Discord cannot be reached it stays, for a later sweep."""
    runner = make_runner(db, **env)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    await db.intake.add(intake())
    delivery.reachable = False
    await Recovery(runner).run(everything=True)
    assert [i.job_id for i in await db.intake.pending()] == ["r1"], "not told, so not dropped"

    delivery.reachable = True
    await Recovery(runner).run(everything=True)
    assert await db.intake.pending() == []
    assert [job_id for job_id, _ in delivery.told] == ["r1"]
    assert await db.fetchall("SELECT id FROM jobs") == [], "refused: never a job"


async def test_a_request_older_than_its_token_is_told_lost_in_the_channel(db: Database) -> None:
    """A request whose token died while the bot was down may be showing "thinking…": Discord cannot
    say, so its member is told it was lost (with when they asked), and nothing is charged."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    old = intake(age=20 * 60)
    await db.intake.add(old)
    delivery.reachable = False
    await Recovery(runner).run(everything=True)
    assert [i.job_id for i in await db.intake.pending()] == ["r1"], "not told, so kept"

    delivery.reachable = True
    await Recovery(runner).run(everything=True)
    (told,) = delivery.told
    assert told[0] == "r1"
    assert told[1].description.startswith(
        f"Your request from <t:{int(old.created_at)}:f> was lost when the bot restarted, and nothing was charged")
    assert await db.intake.pending() == []
    assert await db.fetchall("SELECT id FROM jobs") == [], "never reserved"


@pytest.mark.parametrize("status, code", [(401, 50027), (404, 10015), (404, 10062)])
async def test_a_token_discord_refuses_is_told_lost_too(db: Database, status: int, code: int) -> None:
    """Discord refusing the token itself (not "no such message") leaves the request's fate unknown."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    delivery.fetch_error = http_error(discord.NotFound if status == 404 else discord.HTTPException, status, code)
    await db.intake.add(intake())
    await Recovery(runner).run(everything=True)
    assert [job_id for job_id, _ in delivery.told] == ["r1"]
    assert await db.intake.pending() == []


async def test_a_request_discord_never_saw_answered_is_dropped_silently(db: Database) -> None:
    """With a working token, Discord saying the interaction has no message means the member saw
    Discord's own failure (and may have asked again): the request goes, nobody is told."""
    runner = make_runner(db)
    delivery: ScriptedDelivery = runner.delivery  # type: ignore[assignment]
    delivery.fetch_error = http_error(discord.NotFound, 404, 10008)
    await db.intake.add(intake())
    await Recovery(runner).run(everything=True)
    assert delivery.told == []
    assert await db.intake.pending() == []
    assert await db.fetchall("SELECT id FROM jobs") == []


async def test_an_acknowledged_request_is_stored_and_queued(db: Database) -> None:
    """Discord shows the first answer: the request goes on as a queued job answering that message."""
    runner = make_runner(db)
    await db.intake.add(intake())
    await Recovery(runner).run(everything=True)
    (job,) = await db.fetchall("SELECT id, state, progress_message_id FROM jobs")
    assert (job["id"], job["state"], job["progress_message_id"]) == ("r1", "queued", 77)
    assert runner.queue_depth() == 1
