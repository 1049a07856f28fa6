"""Security end to end: the Discord token and the API key never show up anywhere, and result downloads are bounded.

The bot runs with distinctive canary secrets through failures (some of which echo the key back, as
providers do), then everything it produced is scanned for either secret, or any 12-character piece
of one: every log record with its traceback, everything written to the process's stdout/stderr,
every message, embed, component, edit and file name the fake Discord recorded, the job rows, and
the output of ``python -m bot check`` run as a real process against the fakes.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.gptproto.client import Timeouts
from bot.gptproto.types import Prediction, PredictionStatus
from bot.logs import setup_logging
from tests.e2e.conftest import has_embed_title, has_files, wait_jobs_finished
from tests.fakes.imagegen import make_image

SECRET_KEY = "sk-LEAKCANARY-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e"
SECRET_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.CANARY-FAKE.tok-Zq8Xw3Vn5Rt7Yp9Lm2Kj4Hg6Fd1Sa0Qe"
WRONG_KEY = "sk-WRONGCANARY-3e1c8a6f4d2b0e8c6a4f1d5b3e2c9a7f"
WRONG_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.WRONGCANARY.tok-Pp0Oo9Ii8Uu7Yy6Tt5Rr4Ee3Ww2Qq1"
SECRETS = (SECRET_KEY, SECRET_TOKEN, WRONG_KEY, WRONG_TOKEN)
PIECE = 12  # any run of this many characters of a secret counts as a leak
FAILURE_TITLE = "No image this time"
ROOT = Path(__file__).resolve().parents[2]


def pieces(secret: str) -> set[str]:
    """Every ``PIECE``-character run of ``secret``."""
    return {secret[i:i + PIECE] for i in range(len(secret) - PIECE + 1)}


def leaks(where: str, text: str) -> list[str]:
    """One line per secret of which some piece appears in ``text``, saying where and showing the context."""
    found = []
    for secret in SECRETS:
        piece = next((p for p in sorted(pieces(secret)) if p in text), None)
        if piece is not None:
            at = text.index(piece)
            found.append(f"{where}: a piece of {secret[:8]}… in {text[max(0, at - 60):at + 60]!r}")
    return found


def log_text(records: list[logging.LogRecord]) -> str:
    """Every record's message, traceback and stack as one text."""
    parts = []
    for record in records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        parts.extend(t for t in (record.exc_text, record.stack_info) if t)
    return "\n".join(parts)


def discord_text(fake: Any) -> tuple[str, list[bytes]]:
    """Everything the bot sent to the fake Discord (as JSON text) and every uploaded file's bytes."""
    out: list[Any] = []
    files: list[bytes] = []
    for message in fake.messages.values():
        out.append([message.content, message.embeds, message.components, message.edits, message.created_with,
                    [a.filename for a in message.attachments]])
        files.extend(a.data for a in message.attachments)
    for interaction in fake.interactions.values():
        out.append([interaction.responses, [m.content for m in interaction.followups]])
    return json.dumps(out, default=str), files


async def settle(interaction: Any, seconds: float = 10) -> None:
    """Wait until the job's message shows either images or the failure embed."""
    await interaction.wait_for(lambda i: has_embed_title(i, FAILURE_TITLE) or has_files(i), timeout=seconds)


@pytest.fixture
async def canary_bot(start_bot, discord_fake, gptproto, quick_polls):
    """The bot started with the canary secrets (the fakes expect them too), polling quickly."""
    gptproto.api_key = SECRET_KEY
    gptproto.prediction_duration = 0.2
    discord_fake.token = SECRET_TOKEN
    running = await start_bot(DISCORD_TOKEN=SECRET_TOKEN, GPTPROTO_API_KEY=SECRET_KEY)
    running.bot.jobs.delivery.progress_interval = 0.05
    running.bot.jobs.delivery.first_edit_after = 0.0
    return running


async def test_secrets_never_leak_through_failures(canary_bot, discord_fake, gptproto, log_records, capfd,
                                                   monkeypatch):
    """Through API failures that echo the key and through bot exceptions, no secret reaches a log, reply or stream."""
    running = canary_bot
    echoes = [
        ("401", {"message": f"Incorrect API key provided: {SECRET_KEY}. Check your dashboard."}),
        ("403_balance", {"message": f"Insufficient balance on the account of key {SECRET_KEY}"}),
        ("content_policy", {"variant": 0}),
        ("500", {"message": f"upstream failure while authorising {SECRET_KEY}"}),
        ("bad_request", {"message": f"Invalid request for key {SECRET_KEY}: size not supported"}),
    ]
    for kind, options in echoes:
        gptproto.fail_next(kind, route="generate", **options)
        interaction = await discord_fake.slash("generate", {"prompt": f"failure {kind}"})
        await settle(interaction)
        assert has_embed_title(interaction, FAILURE_TITLE), kind

    photo = discord_fake.add_attachment(make_image(96, 64, fmt="png"), "photo.png")
    gptproto.fail_next("prediction_failed", route="edit", message=f"worker rejected credentials {SECRET_KEY}")
    interaction = await discord_fake.slash("edit", {"prompt": "make it snow", "size": "256x256"},
                                           attachments={"image": photo})
    await settle(interaction)
    assert has_embed_title(interaction, FAILURE_TITLE)

    async def broken_generate(options, **_):  # a bug inside the job
        raise RuntimeError("unexpected state while generating")

    monkeypatch.setattr(running.bot.api, "generate", broken_generate)
    interaction = await discord_fake.slash("generate", {"prompt": "a bug in the job"})
    await settle(interaction)
    assert "Something went wrong on my side" in interaction.original().embeds[0]["description"]

    def broken_validation(**kwargs):  # a bug inside the command itself
        raise KeyError("unexpected option")

    command = running.bot.tree.get_command("generate", guild=None) or next(
        c for c in running.bot.tree.walk_commands(guild=discord.Object(discord_fake.guild_id)) if c.name == "generate")
    monkeypatch.setitem(command.callback.__globals__, "validate_generate", broken_validation)
    interaction = await discord_fake.slash("generate", {"prompt": "a bug in the command"})
    await interaction.wait_response()
    await interaction.wait_for(lambda i: any("Something went wrong" in str(r.get("data")) for r in i.responses)
                               or any("Something went wrong" in m.content for m in i.followups), timeout=5)

    rows = await wait_jobs_finished(running.db)
    assert [r["state"] for r in rows] == ["failed"] * 7
    assert any(r.exc_info for r in log_records.records), "the bot exceptions were logged with their tracebacks"

    found = leaks("log records", log_text(log_records.records))
    found += leaks("caplog text", log_records.text)
    out, err = capfd.readouterr()
    found += leaks("stdout", out) + leaks("stderr", err)
    text, files = discord_text(discord_fake)
    found += leaks("Discord", text)
    found += [f"uploaded file contains {s[:8]}…" for s in SECRETS for data in files if s.encode() in data]
    found += leaks("job rows", json.dumps([dict(r) for r in rows], default=str))
    assert not found, "\n".join(found)


async def test_library_exception_echoing_secrets_is_redacted_in_the_admin_log(canary_bot, discord_fake, capfd,
                                                                             monkeypatch):
    """An exception quoting the key and token (as a library echoing headers might) is redacted in the admin's log."""
    running = canary_bot
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    setup_logging("DEBUG", secrets=running.bot.settings.secrets, stream=stream)  # what `python -m bot` installs
    try:
        async def leaky_generate(options, **_):
            raise RuntimeError(f"proxy refused headers {{'Authorization': 'Bearer {SECRET_KEY}', "
                               f"'X-Discord': 'Bot {SECRET_TOKEN}'}}")

        monkeypatch.setattr(running.bot.api, "generate", leaky_generate)
        interaction = await discord_fake.slash("generate", {"prompt": "a leaky library"})
        await settle(interaction)
        (row,) = await wait_jobs_finished(running.db)
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)

    admin_log = stream.getvalue()
    assert row["id"] in admin_log and "[redacted]" in admin_log, "the failure was logged, redacted"
    assert "Traceback" in admin_log
    found = leaks("admin log", admin_log)
    out, err = capfd.readouterr()
    found += leaks("stdout", out) + leaks("stderr", err)
    found += leaks("Discord", discord_text(discord_fake)[0])
    assert not found, "\n".join(found)


async def test_json_logs_parse_line_by_line_carry_the_job_and_hold_no_secret(canary_bot, discord_fake, gptproto,
                                                                                monkeypatch):
    """LOG_FORMAT=json: every line is one JSON object, job lines name the job, server and member; no secret anywhere."""
    running = canary_bot
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    setup_logging("DEBUG", secrets=running.bot.settings.secrets, stream=stream, fmt="json")
    try:
        gptproto.fail_next("401", route="generate", message=f"Incorrect API key provided: {SECRET_KEY}")
        echoed = await discord_fake.slash("generate", {"prompt": "an echoed key"})
        await settle(echoed)

        async def leaky_generate(options, **_):
            raise RuntimeError(f"proxy refused headers {{'Authorization': 'Bearer {SECRET_KEY}', "
                               f"'X-Discord': 'Bot {SECRET_TOKEN}'}}")

        monkeypatch.setattr(running.bot.api, "generate", leaky_generate)
        leaky = await discord_fake.slash("generate", {"prompt": "a leaky library"})
        await settle(leaky)
        rows = await wait_jobs_finished(running.db)
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)

    text = stream.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]  # raises on any line that is not JSON
    assert lines and all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    assert not leaks("JSON log", text), "\n".join(leaks("JSON log", text))
    for row in rows:
        mine = [line for line in lines if line.get("job_id") == row["id"]]
        assert any(" accepted: " in line["message"] for line in mine), row["id"]
        assert any(" failed: " in line["message"] for line in mine), row["id"]
        assert {(line["guild_id"], line["user_id"]) for line in mine} == {
            (str(discord_fake.guild_id), str(row["user_id"]))}
    (crash,) = [line for line in lines if "exception" in line and line.get("job_id") == rows[1]["id"]]
    assert crash["level"] == "ERROR" and crash["exception"].startswith("Traceback")
    assert "Bearer [redacted]" in crash["exception"]


# -- python -m bot check ---------------------------------------------------------------------------


async def run_check(tmp_path: Path, name: str, *, key: str, token: str, gptproto, discord_fake) -> tuple[int, str]:
    """Run ``python -m bot check`` as a real process against the fakes; return its exit code and all its output."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "DISCORD_TOKEN": token,
        "GPTPROTO_API_KEY": key,
        "GPTPROTO_BASE_URL": gptproto.base_url,
        "DISCORD_API_BASE_URL": discord_fake.rest_url,
        "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / name / 'bot.db'}",
        "LOG_LEVEL": "DEBUG",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 30)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    return process.returncode, out.decode() + "\n" + err.decode()


async def test_check_tells_a_wrong_key_from_a_right_one_without_printing_secrets(tmp_path, gptproto, discord_fake):
    """`python -m bot check` fails on a wrong key or token, passes on the right ones, and never prints a secret."""
    gptproto.api_key = SECRET_KEY
    discord_fake.token = SECRET_TOKEN
    fakes = {"gptproto": gptproto, "discord_fake": discord_fake}

    # Round 1: a key the API does not know, and the right key echoed back in a 401 (a fault only the second takes).
    gptproto.fail_next("401", route="poll", message=f"Incorrect API key provided: {SECRET_KEY}")
    wrong, echoed = await asyncio.gather(
        run_check(tmp_path, "wrong", key=WRONG_KEY, token=SECRET_TOKEN, **fakes),
        run_check(tmp_path, "echoed", key=SECRET_KEY, token=SECRET_TOKEN, **fakes))
    # Round 2: a 403 for lack of balance that quotes the key.
    gptproto.fail_next("403_balance", route="poll", message=f"Insufficient balance for {SECRET_KEY}")
    broke = await run_check(tmp_path, "broke", key=SECRET_KEY, token=SECRET_TOKEN, **fakes)
    # Round 3: everything right, and a Discord token Discord refuses.
    right, bad_token = await asyncio.gather(
        run_check(tmp_path, "right", key=SECRET_KEY, token=SECRET_TOKEN, **fakes),
        run_check(tmp_path, "bad-token", key=SECRET_KEY, token=WRONG_TOKEN, **fakes))

    for (code, output), what in ((wrong, "wrong key"), (echoed, "echoed key")):
        assert code != 0, f"{what}: exit 0\n{output}"
        assert "GPTPROTO_API_KEY is wrong" in output, f"{what}:\n{output}"
    assert broke[0] != 0 and "insufficient balance" in broke[1].lower(), broke[1]
    assert right[0] == 0, right[1]
    assert "[ok] GPTProto API" in right[1] and "[ok] Discord: logged in" in right[1], right[1]
    assert bad_token[0] != 0 and "DISCORD_TOKEN was refused" in bad_token[1], bad_token[1]

    found = []
    for name, (_, output) in zip(("wrong", "echoed", "broke", "right", "bad-token"),
                                 (wrong, echoed, broke, right, bad_token), strict=True):
        found += leaks(f"check {name}", output)
    assert not found, "\n".join(found)


# -- result downloads ------------------------------------------------------------------------------


def completed_with(url: str):
    """A get_prediction stand-in: the provider says the prediction is done with ``url`` as its output."""
    async def get_prediction(prediction_id: str) -> Prediction:
        return Prediction(id=prediction_id, status=PredictionStatus.COMPLETED, outputs=(url,))
    return get_prediction


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/result.png", "gopher://127.0.0.1:70/_x"])
async def test_result_urls_that_are_not_http_are_never_followed(canary_bot, discord_fake, gptproto, monkeypatch,
                                                               url):
    """A prediction output that is not an http(s) URL is refused as unusable, never read, and refunded."""
    running = canary_bot
    monkeypatch.setattr(running.bot.api, "get_prediction", completed_with(url))
    photo = discord_fake.add_attachment(make_image(96, 64, fmt="png"), "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "make it snow", "size": "256x256"},
                                           attachments={"image": photo})
    await settle(interaction)
    assert has_embed_title(interaction, FAILURE_TITLE)
    assert "isn't a usable image" in interaction.original().embeds[0]["description"]
    (row,) = await wait_jobs_finished(running.db)
    assert (row["state"], row["images_reserved"]) == ("failed", 0)
    assert gptproto.output_requests() == []
    assert "root:" not in json.dumps(interaction.original().embeds)


async def test_result_download_is_capped_in_size(canary_bot, discord_fake, gptproto, monkeypatch, log_records):
    """A result larger than the download cap is refused, not buffered, and the job is refunded."""
    running = canary_bot
    running.bot.jobs.pipeline.max_output_bytes = 1024  # the 50 MB cap, shrunk to below one small PNG
    photo = discord_fake.add_attachment(make_image(96, 64, fmt="png"), "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "make it snow", "size": "256x256"},
                                           attachments={"image": photo})
    await settle(interaction)
    assert "could not be downloaded" in interaction.original().embeds[0]["description"]
    (row,) = await wait_jobs_finished(running.db)
    assert (row["state"], row["images_reserved"]) == ("failed", 0)
    assert "1024" in row["error"] and "cap" in row["error"], row["error"]
    assert len(gptproto.output_requests()) == 1


async def test_result_download_times_out(canary_bot, discord_fake, gptproto, log_records):
    """A result URL that never answers fails the job after the download timeout, refunded."""
    running = canary_bot
    running.bot.api.timeouts = Timeouts(download=0.5)
    gptproto.fail_next("hang", route="output")
    photo = discord_fake.add_attachment(make_image(96, 64, fmt="png"), "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "make it snow", "size": "256x256"},
                                           attachments={"image": photo})
    await settle(interaction, seconds=8)
    assert "could not be downloaded" in interaction.original().embeds[0]["description"]
    (row,) = await wait_jobs_finished(running.db)
    assert (row["state"], row["images_reserved"]) == ("failed", 0)
    assert "timed out" in row["error"], row["error"]


# -- a key cut in half ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "kind", "prefix"),
    [
        pytest.param("generate", "401", 62, id="401-cut-at-80"),
        pytest.param("generate", "403_balance", 104, id="403-cut-at-120"),
        pytest.param("generate", "bad_request", 285, id="400-cut-at-300"),
        pytest.param("edit", "bad_request", 285, id="edit-400-envelope-cut-at-300"),
        pytest.param("edit", "prediction_failed", 285, id="edit-prediction-error-cut-at-300"),
    ],
)
async def test_a_key_cut_by_shortening_does_not_leak_in_part(canary_bot, discord_fake, gptproto, log_records,
                                                            command, kind, prefix):
    """A provider message long enough that shortening cuts through the echoed key leaks no piece of it."""
    running = canary_bot
    message = ("The credentials presented with this request were not accepted by the gateway " * 5)[:prefix]
    gptproto.fail_next(kind, route=command, message=f"{message} {SECRET_KEY} (see the dashboard)")
    if command == "generate":
        interaction = await discord_fake.slash("generate", {"prompt": "a long echo"})
    else:
        photo = discord_fake.add_attachment(make_image(96, 64, fmt="png"), "photo.png")
        interaction = await discord_fake.slash("edit", {"prompt": "a long echo", "size": "256x256"},
                                               attachments={"image": photo})
    await settle(interaction)
    assert has_embed_title(interaction, FAILURE_TITLE)
    (row,) = await wait_jobs_finished(running.db)
    found = leaks("Discord", discord_text(discord_fake)[0])
    found += leaks("log records", log_text(log_records.records))
    found += leaks("job row", json.dumps(dict(row), default=str))
    assert not found, "\n".join(found)
