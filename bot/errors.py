"""Errors a member must hear about.

Deep code raises one of these; the command tree's ``on_error`` (and the job runner, for work
that outlives the interaction) turns it into one sentence. ``str(error)`` *is* that sentence,
written for the member who ran the command: it never holds a secret, a traceback or a detail
meant for the admin. Details for the admin's log go in ``admin_detail``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import ClassVar

from bot.money import format_usd


class BotError(Exception):
    """An error with a sentence for the member.

    ``log_level`` says how loudly the admin's log records it: a refusal of what the member asked
    is INFO, a failure of work under way WARNING, a problem only the admin can fix ERROR.
    """

    log_level: ClassVar[int] = logging.INFO

    def __init__(self, message: str, *, admin_detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.admin_detail = admin_detail

    def __str__(self) -> str:
        return self.message


class ValidationError(BotError):
    """The member's input was refused before anything was spent."""


class AttachmentError(ValidationError):
    """An attachment is not an image the API can take (names the attachment and the rule)."""


class QuotaExceeded(BotError):
    """A daily image limit would be exceeded by this request."""

    def __init__(
        self,
        *,
        scope: str,
        used: int,
        limit: int,
        requested: int,
        resets_at: datetime,
    ) -> None:
        self.scope = scope  # "member", "server" or "personal"
        self.used = used
        self.limit = limit
        self.requested = requested
        self.resets_at = resets_at
        stamp = int(resets_at.timestamp())
        left = max(limit - used, 0)
        who = {
            "member": "your daily limit in this server",
            "server": "this server's daily limit",
            "personal": "your personal daily limit",
        }.get(scope, "the daily limit")
        if limit == 0:
            text = f"Image generation is switched off by {who} (limit 0). "
        else:
            asked = f"{requested} image{'s' if requested != 1 else ''}"
            text = (
                f"That would go over {who}: {used} of {limit} images used today, "
                f"{left} left, and you asked for {asked}. "
            )
        super().__init__(text + f"It resets <t:{stamp}:R> (<t:{stamp}:t>).")


class TooManyJobs(BotError):
    """The member already has as many jobs queued or running as allowed."""

    def __init__(self, *, running: int, limit: int) -> None:
        self.running = running
        self.limit = limit
        jobs = f"{running} job{'s' if running != 1 else ''}"
        super().__init__(
            f"You already have {jobs} queued or running (the limit is {limit}). "
            "Wait for one to finish, then try again."
        )


class NotAllowed(BotError):
    """The member lacks the permission this action needs."""


class JobFailed(BotError):
    """A job ended without images; the sentence says why and that nothing was charged."""

    log_level = logging.WARNING

class BudgetExceeded(BotError):
    """A money budget would be exceeded by this request's worst-case cost.

    ``scope`` names the budget: ``member`` (the member's daily budget in this server),
    ``server`` (the server's daily budget), ``server_month`` (the server's monthly budget) or
    ``personal`` (a user's daily budget in direct messages). Money is in micro-dollars.
    """

    def __init__(
        self,
        *,
        scope: str,
        spent: int,
        budget: int,
        cost: int,
        user_spent: int,
        resets_at: datetime,
    ) -> None:
        self.scope = scope
        self.spent = spent
        self.budget = budget
        self.cost = cost
        self.user_spent = user_spent
        self.resets_at = resets_at
        stamp = int(resets_at.timestamp())
        when = "this month" if scope == "server_month" else "today"
        who = {
            "member": "your daily budget in this server",
            "server": "this server's daily budget",
            "server_month": "this server's monthly budget",
            "personal": "your personal daily budget",
        }.get(scope, "a budget")
        if budget == 0:
            text = f"Image generation is switched off by {who} ($0). "
        elif scope in ("member", "personal"):
            text = (
                f"That would go over {who}: you spent {format_usd(spent)} of {format_usd(budget)} "
                f"{when}, and this request may cost up to {format_usd(cost)}. "
            )
        else:
            text = (
                f"That would go over {who}: the server spent {format_usd(spent)} of "
                f"{format_usd(budget)} {when} (you: {format_usd(user_spent)} today), and this "
                f"request may cost up to {format_usd(cost)}. "
            )
        super().__init__(text + f"It resets <t:{stamp}:R> (<t:{stamp}:f>).")


class PriceUnknown(BotError):
    """A money budget applies but the bot knows no price for the chosen model."""

    def __init__(self, model: str) -> None:
        self.model = model
        super().__init__(
            f"I don't know what `{model}` costs, and a spending budget applies here, so I can't "
            "keep it within the budget; choose another model, or ask an admin to add its price "
            "to the bot's PRICES_FILE."
        )

class ShuttingDown(BotError):
    """The bot is stopping (SIGTERM, an update): new work is refused until it is back."""

    def __init__(self) -> None:
        super().__init__("I'm restarting for an update; try again in a minute.")
