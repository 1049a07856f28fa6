"""Errors a member must hear about.

Deep code raises one of these; the command tree's ``on_error`` (and the job runner, for work
that outlives the interaction) turns it into one sentence. ``str(error)`` *is* that sentence,
written for the member who ran the command: it never holds a secret, a traceback or a detail
meant for the admin. Details for the admin's log go in ``admin_detail``.
"""

from __future__ import annotations

from datetime import datetime


class BotError(Exception):
    """An error with a sentence for the member."""

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


class ShuttingDown(BotError):
    """The bot is stopping (SIGTERM, an update): new work is refused until it is back."""

    def __init__(self) -> None:
        super().__init__("I'm restarting for an update; try again in a minute.")
