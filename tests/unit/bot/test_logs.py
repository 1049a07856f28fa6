"""Unit tests for bot.logs: RedactSecrets keeps the Discord token and the API key out of every log line."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from datetime import datetime

import pytest

from bot.logs import REDACTED, JsonFormatter, RedactSecrets, bind_log_fields, job_log_context, setup_logging

TOKEN = "MTIzNDU2Nzg5.GhIjKl.discord-token-value"
KEY = "sk-live-0123456789abcdef"


@pytest.fixture
def capture():
    """A logger with one handler that redacts TOKEN and KEY and writes to a StringIO."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactSecrets([TOKEN, KEY]))
    logger = logging.getLogger("tests.unit.test_logs")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def assert_clean(text: str) -> None:
    assert TOKEN not in text and KEY not in text
    assert "0123456789abcdef" not in text and "discord-token-value" not in text


def test_secret_in_the_message_is_redacted(capture):
    """A secret written straight into the message is replaced with [redacted]."""
    logger, stream = capture
    logger.info(f"sending Authorization: Bearer {KEY} with token {TOKEN}")
    out = stream.getvalue()
    assert_clean(out)
    assert out.count(REDACTED) == 2
    assert "sending Authorization: Bearer [redacted] with token [redacted]" in out


@pytest.mark.parametrize("args", [(KEY,), ({"headers": {"Authorization": f"Bearer {KEY}"}},),
                                  (f"x{TOKEN}y", 42)])
def test_secret_in_the_args_is_redacted(capture, args):
    """A secret passed as a %-argument (plain, nested in a dict, inside a string) is redacted."""
    logger, stream = capture
    logger.warning("details:" + " %r" * len(args), *args)
    out = stream.getvalue()
    assert_clean(out)
    assert REDACTED in out


def test_secret_in_a_traceback_is_redacted(capture):
    """The traceback of a logged exception is redacted too, and the message stays readable."""
    logger, stream = capture
    try:
        raise RuntimeError(f"401 for key {KEY} (token {TOKEN})")
    except RuntimeError:
        logger.exception("request failed")
    out = stream.getvalue()
    assert_clean(out)
    assert "request failed" in out and "Traceback" in out and "RuntimeError: 401 for key [redacted]" in out


def test_secret_in_exc_info_passed_as_tuple_is_redacted(capture):
    """exc_info given explicitly (as the job runner does) is redacted before formatting."""
    logger, stream = capture
    try:
        raise ValueError(TOKEN)
    except ValueError as error:
        logger.error("job failed", exc_info=(type(error), error, error.__traceback__))
    assert_clean(stream.getvalue())


def test_clean_records_pass_through_unchanged(capture):
    """Records without a secret are logged as usual, formatting arguments intact."""
    logger, stream = capture
    logger.info("job %s made %d images", "abc", 3)
    assert stream.getvalue() == "INFO job abc made 3 images\n"


def test_record_is_frozen_so_later_handlers_see_the_redacted_text():
    """After filtering, the record's message holds the redacted text and args are gone."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "key=%s", (KEY,), None)
    assert RedactSecrets([KEY]).filter(record) is True
    assert record.getMessage() == f"key={REDACTED}"
    assert record.args is None


def test_short_and_empty_secrets_are_ignored():
    """Empty or very short 'secrets' are not used, so they cannot blank out ordinary words."""
    redactor = RedactSecrets(["", "ab", None, KEY])  # type: ignore[list-item]
    assert redactor.secrets == (KEY,)
    assert redactor.redact("ab cd") == "ab cd"


def test_no_secrets_means_no_change():
    """With no secrets configured, the filter lets records through untouched."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "v=%s", ("1",), None)
    assert RedactSecrets([]).filter(record) is True
    assert record.args == ("1",)


def test_redact_replaces_every_occurrence():
    """Every occurrence of every secret is replaced."""
    assert RedactSecrets([KEY, TOKEN]).redact(f"{KEY}{KEY} {TOKEN}") == f"{REDACTED}{REDACTED} {REDACTED}"


def test_setup_logging_installs_the_filter():
    """setup_logging puts one redacting handler on the root logger."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        redactor = setup_logging("DEBUG", secrets=[KEY, TOKEN], stream=stream)
        assert len(root.handlers) == 1 and redactor in root.handlers[0].filters
        logging.getLogger("bot.somewhere").warning("key %s", KEY)
        assert_clean(stream.getvalue())
        assert "key [redacted]" in stream.getvalue()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)


# -- LOG_FORMAT=json ---------------------------------------------------------------------------------


@pytest.fixture
def json_capture():
    """A logger writing JSON lines through the same redacting handler setup_logging builds."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter([TOKEN, KEY]))
    handler.addFilter(RedactSecrets([TOKEN, KEY]))
    logger = logging.getLogger("tests.unit.test_logs.json")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def lines_of(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_time_level_logger_and_message(json_capture):
    """Each record is one JSON object on one line, even when the message has new lines."""
    logger, stream = json_capture
    logger.info("job %s made %d images", "abc", 3)
    logger.warning("two\nlines")
    first, second = lines_of(stream)
    assert first["message"] == "job abc made 3 images" and first["level"] == "INFO"
    assert first["logger"] == "tests.unit.test_logs.json"
    assert datetime.fromisoformat(first["time"]).tzinfo is not None
    assert second["message"] == "two\nlines" and len(stream.getvalue().splitlines()) == 2
    assert "job_id" not in first and "exception" not in first


def test_json_lines_hold_no_secret_in_message_args_or_traceback(json_capture):
    """The JSON format redacts like the text one: message, arguments and exception text."""
    logger, stream = json_capture
    logger.info("key %s", KEY)
    try:
        raise RuntimeError(f"401 for {TOKEN}")
    except RuntimeError:
        logger.exception("failed with %r", {"Authorization": f"Bearer {KEY}"})
    logger.info("where", stack_info=True, extra={"note": KEY})
    assert_clean(stream.getvalue())
    _, failed, _ = lines_of(stream)
    assert "RuntimeError: 401 for [redacted]" in failed["exception"]
    assert failed["exception"].startswith("Traceback")


def test_json_lines_take_the_job_fields_from_the_context_or_extra(json_capture):
    """job_id, guild_id and user_id come from the task's log context; extra= wins; ids are strings."""
    logger, stream = json_capture

    async def job_task() -> None:
        bind_log_fields(job_id="j1", guild_id=1234567890123456789, user_id=42)
        logger.info("in the job")
        logger.info("other job", extra={"job_id": "j2"})

    async def main() -> None:
        await asyncio.create_task(job_task())
        logger.info("outside")  # the task's binding does not leak out of it

    asyncio.run(main())
    inside, other, outside = lines_of(stream)
    assert (inside["job_id"], inside["guild_id"], inside["user_id"]) == ("j1", "1234567890123456789", "42")
    assert other["job_id"] == "j2" and other["user_id"] == "42"
    assert not {"job_id", "guild_id", "user_id"} & outside.keys()


def test_job_log_context_binds_a_task_to_its_own_job(json_capture):
    """A task started with job_log_context logs its own job, not the one of the task that started it."""
    logger, stream = json_capture

    async def main() -> None:
        bind_log_fields(job_id="starter", user_id=1)
        context = job_log_context(job_id="other", guild_id=None, user_id=2)
        await asyncio.get_running_loop().create_task(_log(logger, "progress"), context=context)

    asyncio.run(main())
    (line,) = lines_of(stream)
    assert (line["job_id"], line["user_id"]) == ("other", "2") and "guild_id" not in line


async def _log(logger: logging.Logger, text: str) -> None:
    logger.info(text)


def test_setup_logging_json_writes_json_lines():
    """setup_logging(fmt='json') installs the JSON formatter behind the redacting filter."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        setup_logging("INFO", secrets=[KEY], stream=stream, fmt="json")
        logging.getLogger("bot.somewhere").warning("key %s", KEY)
        (line,) = lines_of(stream)
        assert line["message"] == "key [redacted]" and line["logger"] == "bot.somewhere"
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
