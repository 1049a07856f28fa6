"""Errors a member must hear about.

Deep code raises one of these; the command tree's ``on_error`` (and the job runner, for work
that outlives the interaction) turns it into one sentence. Each names its sentence by a message
id of the catalogues (``bot.i18n``) and its arguments, so the error path renders it in the
member's language (:meth:`BotError.render`); ``str(error)`` is the English sentence. Neither
ever holds a secret, a traceback or a detail meant for the admin: details for the admin's log go
in ``admin_detail``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from bot.i18n import Msg, plain, text
from bot.money import format_usd


class BotError(Exception):
    """An error with a sentence for the member.

    ``log_level`` says how loudly the admin's log records it: a refusal of what the member asked
    is INFO, a failure of work under way WARNING, a problem only the admin can fix ERROR.
    """

    log_level: ClassVar[int] = logging.INFO

    def __init__(self, message: str | None = None, *, msg_id: str | None = None,
                 args: Mapping[str, Any] | None = None, admin_detail: str | None = None) -> None:
        self.msg_id = msg_id
        self.msg_args: Mapping[str, Any] = dict(args or {})
        if message is None:
            if msg_id is None:
                raise TypeError("a BotError needs a msg_id (or a message)")
            message = text("en", msg_id, **self.msg_args)
        super().__init__(message)
        self.message = message
        self.admin_detail = admin_detail

    def __str__(self) -> str:
        return self.message

    def render(self, lang: str | None) -> str:
        """The member's sentence in ``lang`` (a catalogue or Discord locale); English is ``str()``."""
        if self.msg_id is None:
            return self.message  # a sentence without a message id (tests, third parties)
        return text(lang, self.msg_id, **self.msg_args)

    def as_msg(self) -> Msg | None:
        """The sentence as a :class:`Msg`, to render later in another language (``None`` without id)."""
        return Msg(self.msg_id, self.msg_args) if self.msg_id else None


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
        args = {"scope": scope, "used": plain(used), "limit": plain(limit), "left": plain(max(limit - used, 0)),
                "requested": requested, "stamp": str(int(resets_at.timestamp()))}
        super().__init__(msg_id="quota-off" if limit == 0 else "quota-exceeded", args=args)


class TooManyJobs(BotError):
    """The member already has as many jobs queued or running as allowed."""

    def __init__(self, *, running: int, limit: int) -> None:
        self.running = running
        self.limit = limit
        super().__init__(msg_id="too-many-jobs", args={"running": running, "limit": limit})


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
        args = {"scope": scope, "spent": format_usd(spent), "budget": format_usd(budget),
                "cost": format_usd(cost), "user_spent": format_usd(user_spent),
                "stamp": str(int(resets_at.timestamp()))}
        if budget == 0:
            msg_id = "budget-off"
        elif scope in ("member", "personal"):
            msg_id = "budget-exceeded-member"
        else:
            msg_id = "budget-exceeded-server"
        super().__init__(msg_id=msg_id, args=args)


class PriceUnknown(BotError):
    """A money budget applies but the bot knows no price for the chosen model."""

    def __init__(self, model: str) -> None:
        self.model = model
        super().__init__(msg_id="price-unknown", args={"model": model})


class ShuttingDown(BotError):
    """The bot is stopping (SIGTERM, an update): new work is refused until it is back."""

    def __init__(self) -> None:
        super().__init__(msg_id="shutting-down")
