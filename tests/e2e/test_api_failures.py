"""Every way the image API can fail, for /generate and for /edit, end to end.

One table drives the real bot against the fake GPTProto: each row injects one failure and checks
the four promises of the issue: the member reads a sentence they understand in the job's message
(the failure embed "No image this time"), the quota is refunded (the job row is ``failed`` with
``images_reserved == 0``), the admin's log has a WARNING/ERROR line with the job id, and the API
was asked exactly as often as the retry rule says (429 and 502/503/504 again, 500 and
content-policy refusals never).

Speed-ups, none of which changes what is tested: the client's retry delays are the harness's
(10–50 ms); edit predictions take 0.2 s; the poll policy is shortened with
``monkeypatch`` so an edit is polled every 50–100 ms instead of every 1–2.5 s.
"""

from __future__ import annotations

import itertools
import logging
import re
import socket
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.gptproto.client import Timeouts
from bot.gptproto.errors import APITimeout, PredictionTimeout, RateLimited
from bot.images import PREVIEW_FILENAME
from tests.e2e.conftest import has_embed_title, wait_jobs_finished
from tests.fakes.imagegen import make_image

FAILURE_TITLE = "No image this time"
ACCOUNT = "The bot's image API account has a problem"
MALFORMED = "isn't a usable image"
POLICY = "Your prompt was blocked by the provider's safety system; you were not charged"
#: What the member must never read when the account is the problem: it is for the admin.
ADMIN_ONLY = ("401", "403", "GPTPROTO_API_KEY", "Invalid signature", "signature", "balance",
              "Insufficient", "permission", "HTTP")
LONG_PROVIDER_MESSAGE = ("Invalid value for 'size': the requested dimensions are not supported by this model "
                         + "because of a very long explanation " * 12 + "END-OF-MESSAGE")


@dataclass(frozen=True)
class Failure:
    """One row: a failure to inject and what the member, the database and the log must show."""

    name: str
    kind: str | None  # fail_next kind (None: set up by ``special``)
    routes: dict[str, str]  # command -> route the fault goes on; a command missing here is not applicable
    sentence: str  # regular expression the failure embed's text must match
    requests: int  # requests on the faulted route
    times: int = 2  # faults queued: more than the bot should use, so an extra retry would be seen
    kw: dict[str, Any] = field(default_factory=dict)
    special: str | None = None
    level: int = logging.WARNING
    forbidden: tuple[str, ...] = ()  # substrings the member's sentence must not contain


#: /generate twice: plain JSON, and streamed with previews (the production default, PREVIEW_IMAGES=2).
BOTH = {"generate": "generate", "generate-stream": "generate", "edit": "edit"}
FAILURES = [
    Failure("401", "401", BOTH, re.escape(ACCOUNT) + r".*an admin has been told", 1,
            kw={"message": "Invalid signature"}, level=logging.ERROR, forbidden=ADMIN_ONLY),
    Failure("403-balance", "403_balance", BOTH, re.escape(ACCOUNT) + r".*an admin has been told", 1,
            level=logging.ERROR, forbidden=ADMIN_ONLY),
    Failure("403-permission", "403_permission", BOTH, re.escape(ACCOUNT) + r".*an admin has been told", 1,
            level=logging.ERROR, forbidden=ADMIN_ONLY),
    # 1 request + RetryPolicy.max_429_retries (3), each after Retry-After.
    Failure("429", "429", BOTH, r"busy right now; please try again in about \d+ seconds?", 4, times=6,
            kw={"retry_after": 0.1}),
    Failure("500", "500", BOTH, r"internal error \(HTTP 500\)", 1),
    # 1 request + RetryPolicy.max_5xx_retries (2).
    Failure("502", "502", BOTH, r"internal error \(HTTP 502\)", 3, times=5),
    Failure("503", "503", BOTH, r"internal error \(HTTP 503\)", 3, times=5),
    Failure("504", "504", BOTH, r"internal error \(HTTP 504\)", 3, times=5),
    Failure("content-policy-openai", "content_policy", BOTH, re.escape(POLICY), 1, kw={"variant": 0}),
    Failure("content-policy-type-503", "content_policy", BOTH, re.escape(POLICY), 1, kw={"variant": 1}),
    Failure("content-policy-envelope", "content_policy", BOTH, re.escape(POLICY), 1, kw={"variant": 2}),
    Failure("content-policy-while-polling", "content_policy", {"edit": "poll"}, re.escape(POLICY), 1,
            kw={"variant": 2}),
    Failure("bad-request", "bad_request", BOTH,
            r"The image service refused the request: Invalid value for 'size': the requested .{50,}…", 1,
            kw={"message": LONG_PROVIDER_MESSAGE}, forbidden=("END-OF-MESSAGE",)),
    Failure("non-json", "non_json", BOTH, re.escape(MALFORMED), 1, forbidden=("<html", "Just a moment")),
    Failure("json-without-data", "no_data", BOTH, re.escape(MALFORMED), 1),
    Failure("bad-base64", "bad_base64", BOTH, re.escape(MALFORMED), 1, special="b64_outputs"),
    Failure("not-an-image", "not_image", BOTH, re.escape(MALFORMED), 1),
    Failure("truncated-image", "truncated_image", BOTH, re.escape(MALFORMED), 1),
    Failure("connection-refused", None, BOTH, r"couldn't reach the image service", 0, special="refused"),
    Failure("timeout", "hang", BOTH, r"did not answer within 1 seconds?", 1, special="short_timeouts"),
    Failure("prediction-failed", "prediction_failed", {"edit": "edit"},
            r"could not finish this edit: The model could not render this edit", 1,
            kw={"message": "The model could not render this edit"}),
    Failure("prediction-never-completes", "prediction_never_completes", {"edit": "edit"},
            r"did not finish within 1 seconds?, so I gave up waiting", 1, special="edit_deadline"),
    Failure("output-url-404", "output_404", {"edit": "edit"},
            r"finished image could not be downloaded", 1),
]

CASES = [
    pytest.param(command, failure, id=f"{command}-{failure.name}")
    for failure, command in itertools.product(FAILURES, ("generate", "generate-stream", "edit"))
    if command in failure.routes
]


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fast_polls(quick_polls):
    """Poll predictions every 50–100 ms instead of every 1–2.5 s."""


def delivered(interaction) -> bool:
    """The job's message carries result images (a progress preview does not count)."""
    message = interaction.original()
    return bool(message and any(a.filename != PREVIEW_FILENAME for a in message.attachments))


def requests_on(gptproto, route: str) -> list:
    """The fake's recorded requests on one route."""
    return gptproto.requests_for(route)


@pytest.mark.parametrize(("command", "failure"), CASES)
async def test_api_failure_is_explained_refunded_and_logged(
    command, failure: Failure, start_bot, discord_fake, gptproto, log_records, fast_polls
):
    """Each API failure ends in a member-readable sentence, a refund, a log line with the job id and bounded retries."""
    env = {"PREVIEW_IMAGES": "2"} if command == "generate-stream" else {}
    if failure.special == "refused":
        env["GPTPROTO_BASE_URL"] = f"http://127.0.0.1:{closed_port()}"
    running = await start_bot(**env)
    runner = running.bot.jobs
    runner.delivery.progress_interval = 0.05
    gptproto.prediction_duration = 0.2
    if failure.special == "short_timeouts":
        running.bot.api.timeouts = Timeouts(generate=1.0, submit=1.0, poll=1.0, download=1.0, connect=1.0)
    if failure.special == "edit_deadline":
        # EDIT_TIMEOUT_S may not be under 10 s; the pipeline was built with its own copy.
        runner.pipeline.edit_timeout_s = 1.0
    if failure.special == "b64_outputs" and command == "edit":
        gptproto.output_mode = "b64"  # a base64 output is what can fail to decode
    route = failure.routes[command]
    if failure.kind is not None:
        gptproto.fail_next(failure.kind, route=route, times=failure.times, **failure.kw)

    if command.startswith("generate"):
        interaction = await discord_fake.slash("generate", {"prompt": "a lighthouse at dusk"})
    else:
        photo = discord_fake.add_attachment(make_image(96, 64, fmt="png"), "photo.png")
        interaction = await discord_fake.slash("edit", {"prompt": "make it snow", "size": "256x256"},
                                               attachments={"image": photo})
    # Settled either way; a bot that wrongly retried into a success shows its images instead of the failure.
    (job,) = await wait_jobs_finished(running.db, 15)
    await interaction.wait_for(lambda i: has_embed_title(i, FAILURE_TITLE) or delivered(i), timeout=5)
    assert not delivered(interaction), f"the failure was retried into a success or delivered anyway: {job['state']}"

    text = interaction.original().embeds[0]["description"]
    assert re.search(failure.sentence, text), f"member read: {text!r}"
    assert "not charged" in text.lower(), "the member is told nothing was charged"
    for word in failure.forbidden:
        assert word not in text, f"{word!r} is a detail for the admin, not the member: {text!r}"

    assert (job["state"], job["images_reserved"]) == ("failed", 0), "failed and refunded"

    logged = [r for r in log_records.records if job["id"] in r.getMessage() and r.levelno >= logging.WARNING]
    assert logged, "the admin's log has a warning or error line with the job id"
    assert max(r.levelno for r in logged) >= failure.level

    if failure.special == "refused":
        assert gptproto.requests == [], "nothing reached a server"
    else:
        sent = requests_on(gptproto, route)
        assert len(sent) == failure.requests, f"{len(sent)} request(s) on {route}"
        if command == "generate-stream":
            assert all(r.json.get("stream") is True for r in sent), "the streamed path was taken"
        if failure.kind == "429":
            gaps = [b.time - a.time for a, b in itertools.pairwise(sent)]
            assert min(gaps) >= 0.09, f"Retry-After 0.1 s not honoured: {gaps}"
        if route == "poll":
            assert len(requests_on(gptproto, "edit")) == 1, "the edit was submitted once"
    if command == "edit" and failure.kind == "output_404":
        assert len(requests_on(gptproto, "output")) == 1, "a 404 download is not tried again"
    if failure.kind == "prediction_never_completes":
        assert len(requests_on(gptproto, "poll")) >= 2, "the prediction was polled until the deadline"


async def test_account_problem_reaches_the_admin_log_with_its_detail(start_bot, discord_fake, gptproto, log_records):
    """A 403 for lack of balance is an ERROR in the admin's log saying what is wrong; the member reads none of it."""
    running = await start_bot()
    gptproto.fail_next("403_balance", route="generate")
    interaction = await discord_fake.slash("generate", {"prompt": "a cat"})
    await interaction.wait_for(lambda i: has_embed_title(i, FAILURE_TITLE), timeout=10)
    (job,) = await wait_jobs_finished(running.db)
    errors = [r.getMessage() for r in log_records.records if r.levelno == logging.ERROR and job["id"] in r.getMessage()]
    assert errors and "balance" in errors[0].lower(), errors
    assert "balance" not in interaction.original().embeds[0]["description"].lower()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (RateLimited(0.4), "please try again in about 1 second."),
        (APITimeout(1.0), "did not answer within 1 second;"),
        (PredictionTimeout(1.0), "did not finish within 1 second,"),
    ],
    ids=["rate-limited", "api-timeout", "prediction-timeout"],
)
def test_failure_sentences_use_the_singular_for_one_second(error, expected):
    """The member's sentence reads 'about 1 second', not 'about 1 seconds'."""
    assert expected in str(error), str(error)
