"""What the job tests share: a real ``JobRunner`` on a real SQLite file, with a Discord whose
answers the test decides (:class:`ScriptedDelivery`) and no API.

The runner's workers are not started, so queued jobs stay queued unless a test runs them.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import Any

import discord

from bot.config import Settings
from bot.gptproto.registry import ImageOptions, JobKind
from bot.jobs import Delivery, JobRunner
from bot.metrics import Metrics
from bot.policy import Policies
from bot.storage import Database, ReplyTarget
from bot.storage.intake import Intake

GUILD = 1_000_000_000_000_001
USER = 2_000_000_000_000_001
CHANNEL = 3_000_000_000_000_001


class ScriptedDelivery(Delivery):
    """A delivery that talks to no Discord: ``told`` records each message, ``reachable`` says whether
    Discord answers, ``original`` is the id of the interaction's first answer."""

    def __init__(self, jobs: Any) -> None:
        super().__init__(client=None, jobs=jobs, first_edit_after=0.0)  # type: ignore[arg-type]
        self.told: list[tuple[str, discord.Embed]] = []
        self.reachable = True
        self.original = 77
        self.fetch_error: Exception | None = None
        self.failures_left = 0  # the next this many tells find Discord out of reach
        self.tries = 0
        self.asked = asyncio.Event()  # set by the first tell
        self.gate: asyncio.Event | None = None  # when set, a tell waits for it first
        self.edit_gate: asyncio.Event | None = None  # when set, a progress edit waits for it first
        self.events: list[str] = []  # "edit" and "told", in the order Discord would have shown them

    async def tell(self, job: Any, embed: discord.Embed) -> bool:
        self.tries += 1
        self.asked.set()
        if self.gate is not None:
            await self.gate.wait()
        if not self.reachable or self.failures_left > 0:
            self.failures_left = max(0, self.failures_left - 1)
            return False
        self.told.append((job.job_id if isinstance(job, Intake) else job.id, embed))
        self.events.append("told")
        return True

    async def edit_original(self, job: Any, **fields: Any) -> None:
        if self.edit_gate is not None:
            await self.edit_gate.wait()
        self.events.append("edit")

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
    """Records the audit log's reports instead of posting them."""

    def __init__(self) -> None:
        self.ended: list[tuple[str, str]] = []

    def job_ended(self, job: Any, outcome: Any, detail: Any = None) -> None:
        self.ended.append((job.id, str(outcome)))


def settings(**env: str) -> Settings:
    """The bot's settings: keys given, no previews, and ``env`` on top."""
    return Settings.from_env({"DISCORD_TOKEN": "t", "GPTPROTO_API_KEY": "k", "PREVIEW_IMAGES": "0", **env})


def make_runner(db: Database, **env: str) -> JobRunner:
    """A runner on ``db`` with ``env``'s settings, a :class:`ScriptedDelivery`, :class:`Audit`, and
    the servers' policies read from ``db``."""
    chosen = settings(**env)
    delivery = ScriptedDelivery(db.jobs)
    policies = Policies(SimpleNamespace(settings=chosen, db=db))  # type: ignore[arg-type]
    return JobRunner(settings=chosen, db=db, api=None, delivery=delivery,  # type: ignore[arg-type]
                     metrics=Metrics(process=False), policies=policies, audit=Audit())  # type: ignore[arg-type]


def intake(job_id: str = "r1", *, age: float = 5.0, kind: JobKind = JobKind.GENERATE) -> Intake:
    """A request received ``age`` seconds ago, never stored as a job."""
    created = time.time() - age
    options = (ImageOptions(model="gpt-image-1", prompt="a lighthouse") if kind is JobKind.GENERATE
               else ImageOptions(model="gpt-image-1.5-plus", prompt="make it snow", images=("https://cdn/a.png",)))
    return Intake(job_id=job_id, kind=kind, user_id=USER, guild_id=GUILD, options=options,
                  reply=ReplyTarget(channel_id=CHANNEL, application_id=9, interaction_id=8, token="tok",
                                    created_at=created),
                  parent_job_id=None, created_at=created)
