"""Who may cancel a job, from the queue's Cancel button or from ``/jobs``: one rule for both."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.errors import NotAllowed
from cogs.results import cancel

GUILD = 1_000_000_000_000_001
OTHER_GUILD = 1_000_000_000_000_002
OWNER = 2_000_000_000_000_001
ADMIN = 2_000_000_000_000_009


class Response:
    def __init__(self) -> None:
        self.deferred: list[dict[str, Any]] = []

    async def defer(self, **kwargs: Any) -> None:
        self.deferred.append(kwargs)


def clicked(user_id: int, guild_id: int | None, *, admin: bool) -> Any:
    """A click by ``user_id`` in ``guild_id``, with Manage Server there when ``admin``."""
    return SimpleNamespace(user=SimpleNamespace(id=user_id), guild_id=guild_id, response=Response(),
                           permissions=discord.Permissions(manage_guild=admin))


def bot() -> Any:
    cancelled: list[tuple[str, int]] = []

    async def cancel_job(job: Any, *, by: int) -> bool:
        cancelled.append((job.id, by))
        return True

    return SimpleNamespace(jobs=SimpleNamespace(cancel=cancel_job), cancelled=cancelled)


def job(guild_id: int | None) -> Any:
    return SimpleNamespace(id="a" * 32, user_id=OWNER, guild_id=guild_id)


@pytest.mark.parametrize("privately", [False, True], ids=["queue button", "/jobs"])
async def test_an_admin_cancels_only_jobs_of_their_own_server(privately: bool) -> None:
    """Manage Server in another server (or a job from direct messages) gives no right to cancel."""
    for where, job_guild in ((OTHER_GUILD, GUILD), (GUILD, None)):
        the_bot = bot()
        with pytest.raises(NotAllowed):
            await cancel(the_bot, clicked(ADMIN, where, admin=True), job(job_guild), privately=privately)
        assert the_bot.cancelled == []

    the_bot = bot()
    interaction = clicked(ADMIN, GUILD, admin=True)
    await cancel(the_bot, interaction, job(GUILD), privately=privately)
    assert the_bot.cancelled == [("a" * 32, ADMIN)]
    assert interaction.response.deferred == [{"ephemeral": True, "thinking": True} if privately else {}]


async def test_the_requester_cancels_their_own_job_anywhere() -> None:
    """The member who asked needs no permission, in a server or in direct messages."""
    for guild_id in (GUILD, None):
        the_bot = bot()
        await cancel(the_bot, clicked(OWNER, guild_id, admin=False), job(guild_id))
        assert the_bot.cancelled == [("a" * 32, OWNER)]
