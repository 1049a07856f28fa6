"""Logging set-up, with a filter that keeps secrets out of every log line.

Code never logs a secret on purpose; this filter is the second line of defence for text that
comes from elsewhere (an exception from a library that echoes a header, say).

Two formats: ``text`` (one readable line) and ``json`` (``LOG_FORMAT=json``: one JSON object per
line, for log collectors). A JSON line carries ``job_id``, ``guild_id`` and ``user_id`` when the
code that logs knows them. They come from :data:`LOG_FIELDS`, a context variable: the job runner
binds a job's fields (:func:`bind_log_fields`) in the task that runs the job, and every line
logged from that task and the tasks it starts (the API client's, the progress edits') carries
them without each call passing them. ``extra={"job_id": ...}`` on one call wins over the context.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

REDACTED = "[redacted]"
#: The fields a JSON line may carry besides time, level, logger and message, in this order.
CONTEXT_FIELDS = ("job_id", "guild_id", "user_id")
#: The job, server and member the current task works for (see the module's docstring).
LOG_FIELDS: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar("log_fields", default=None)


def bind_log_fields(*, job_id: str | None = None, guild_id: int | None = None,
                    user_id: int | None = None) -> contextvars.Token[Mapping[str, str] | None]:
    """Add fields to the current task's log context (``None`` leaves a field as it is).

    Ids are kept as strings: Discord's ids do not fit in the 53 bits a JSON number keeps in
    most log tools. Returns the token to ``LOG_FIELDS.reset`` with, for a task that goes on.
    """
    fields = dict(LOG_FIELDS.get() or {})
    for name, value in (("job_id", job_id), ("guild_id", guild_id), ("user_id", user_id)):
        if value is not None:
            fields[name] = str(value)
    return LOG_FIELDS.set(fields)


def job_log_context(*, job_id: str, guild_id: int | None, user_id: int) -> contextvars.Context:
    """A copy of the current context bound to one job, for a task started on that job's behalf."""
    context = contextvars.copy_context()
    context.run(bind_log_fields, job_id=job_id, guild_id=guild_id, user_id=user_id)
    return context


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (of 6 characters or more) replaced by ``[redacted]``."""
    for secret in secrets:
        if secret and len(secret) >= 6 and secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    """Replace each known secret in a record's message and traceback with ``[redacted]``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s and len(s) >= 6)

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced."""
        return redact(text, self.secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redact it, and freeze it into the record."""
        if not self.secrets:
            return True
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the context fields, exception.

    It runs after :class:`RedactSecrets` (a handler's filters come before its formatter) and
    redacts every text field once more, the stack included, which that filter does not see.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s and len(s) >= 6)

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), self.secrets),
        }
        context = LOG_FIELDS.get() or {}
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is None:
                value = context.get(name)
            if value is not None:
                line[name] = str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = redact(record.exc_text, self.secrets)
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info), self.secrets)
        return json.dumps(line, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(level: str = "INFO", *, secrets: Iterable[str] = (), stream=None,
                  fmt: str = "text") -> RedactSecrets:
    """One stream handler on the root logger, with the secrets filter on the handler.

    ``fmt`` is ``LOG_FORMAT``: ``text`` (readable lines) or ``json`` (one object per line).
    """
    secrets = tuple(secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(secrets) if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    redactor = RedactSecrets(secrets)
    handler.addFilter(redactor)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # discord.py is chatty at INFO about gateway details; keep its warnings.
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("discord.gateway").setLevel(logging.WARNING)
    return redactor
