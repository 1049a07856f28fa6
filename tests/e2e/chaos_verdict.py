"""The verdict of the chaos test (issue 17), read only from what the fakes recorded and the database.

For every request the storm sent, :func:`judge` decides what the member ended up with, from the
fake Discord's messages and requests alone:

- ``delivered``: exactly one message with result images (the interaction's message, or a channel
  post that names the prompt);
- ``failed``: one "No image this time" embed that names the prompt (a clear sentence: the job
  ended, and was refunded);
- ``refused``: one private (ephemeral) sentence, the public "thinking…" message removed;
- ``discord_failed``: Discord never got an acknowledgement, so the member saw Discord's own
  "The application did not respond" (allowed only when a kill landed within Discord's 3 s);
- ``stuck``: anything else, with what the member last saw.

It also counts result uploads (an image posted twice is a duplicate even on the same message)
and paid calls per prompt, and compares each member's quota use in the database with the images
the fake Discord shows them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ephemeral_text

PREVIEW_FILENAME = "preview.webp"
FAILURE_TITLE = "No image this time"
QUEUE_TITLE = "Waiting in the queue"
ACTIVE_STATES = ("queued", "running", "submitted", "delivering")
DISCORD_DEADLINE = 3.0
_TOKEN_PATH = re.compile(r"^/(?:interactions/\d+|webhooks/\d+)/([^/]+)")


@dataclass
class Request:
    """One /generate or /edit the storm sent (each with a unique prompt)."""

    index: int
    kind: str  # "generate+preview" (streaming model), "generate" (no stream), "edit"
    user_id: int
    member: int  # 1..USERS, for readable messages
    prompt: str
    n: int
    seconds: float  # the fake API's latency or prediction duration for it (before time_scale)
    interaction: Any = None  # FakeInteraction once sent
    sent_at: float | None = None  # time.monotonic()

    @property
    def command(self) -> str:
        return "edit" if self.kind == "edit" else "generate"

    def label(self) -> str:
        extra = ", previews" if self.kind == "generate+preview" else ""
        return f"request #{self.index} (/{self.command}{extra}, n={self.n}, member {self.member}, " \
               f"prompt {self.prompt!r})"


@dataclass
class Kill:
    """One SIGKILL of the bot, and what it was aimed at."""

    number: int
    phase: str
    at: float  # time.monotonic()
    pid: int
    what: str
    request: int | None = None  # the request it hit, when the hook knew


@dataclass
class Outcome:
    """What one request ended with, as the fakes recorded it."""

    category: str  # delivered | failed | refused | discord_failed | stuck
    images: int = 0
    result_messages: int = 0
    result_uploads: int = 0
    paid_calls: int = 0
    last_seen: str = ""
    #: (kind, sentence): the kind groups problems in the summary, the sentence says it all.
    problems: list[tuple[str, str]] = field(default_factory=list)


def _shows_prompt(message: Any, prompt: str) -> bool:
    for embed in message.embeds:
        if prompt in (embed.get("description") or ""):
            return True
        if any(prompt in (f.get("value") or "") for f in embed.get("fields") or []):
            return True
    return False


def _result_files(files: Any) -> list[Any]:
    return [f for f in files if getattr(f, "filename", f) != PREVIEW_FILENAME]


def _title(message: Any) -> str:
    return next((e.get("title") or "" for e in message.embeds if e.get("title")), "")


def _description(message: Any) -> str:
    return next((e.get("description") or "" for e in message.embeds if e.get("description")), "")


def last_seen(request: Request) -> str:
    """What the member last saw of their request, in words."""
    inter = request.interaction
    if inter is None:
        return "nothing: the request was never sent"
    if not inter.responses:
        refused = [f["code"] for f in inter.failures if "/callback" in f["path"]]
        late = f" (the bot's acknowledgement came too late: {refused})" if refused else ""
        return f"Discord's own 'The application did not respond'{late}"
    original = inter.original()
    private = ephemeral_text(inter)
    if original is None:
        return "no message at all"
    if original.deleted:
        return f"a private note {private!r}" if private else \
            "nothing: the public 'thinking…' message was removed and no private answer came"
    if original.loading:
        return "'ImageBot is thinking…' (deferred, never followed up)"
    files = _result_files(original.attachments)
    if files:
        return f"the result with {len(files)} image(s)"
    title = _title(original)
    if title == FAILURE_TITLE:
        return f"'{FAILURE_TITLE}: {_description(original)[:90]}…'"
    preview = " with a preview image" if original.attachments else ""
    return f"a stale progress message '{title}'{preview}"


def _interaction_of(path: str, by_token: dict[str, Any]) -> Any:
    match = _TOKEN_PATH.match(path)
    return by_token.get(match.group(1)) if match else None


def result_uploads(discord_fake: Any, requests: list[Request]) -> Counter[int]:
    """Accepted uploads of result images per request index (one is right; two is a duplicate)."""
    by_token = {r.interaction.token: r for r in requests if r.interaction is not None}
    counts: Counter[int] = Counter()
    for entry in discord_fake.request_log:
        if entry.dropped or entry.status is None or entry.status >= 300 or not _result_files(
                [name for name, _ in entry.files]):
            continue
        request = _interaction_of(entry.path, by_token)
        if request is None and isinstance(entry.body, dict):
            text = json.dumps(entry.body.get("embeds") or [])
            request = next((r for r in requests if r.prompt in text), None)
        if request is not None:
            counts[request.index] += 1
    return counts


def paid_calls(gptproto: Any) -> Counter[str]:
    """Generation POSTs and edit submissions per prompt (each may cost money)."""
    counts: Counter[str] = Counter()
    for rec in gptproto.requests:
        if rec.route in ("generate", "edit") and isinstance(rec.json, dict):
            counts[str(rec.json.get("prompt"))] += 1
    return counts


def _kill_words(kill: Kill, request: Request) -> str:
    assert request.sent_at is not None
    words = f"#{kill.number} '{kill.phase}' {kill.at - request.sent_at:.2f} s after it was sent ({kill.what}"
    inter = request.interaction
    if inter is not None and inter.callback_at is not None and kill.at - inter.callback_at < 1.0:
        delta = 1000 * (kill.at - inter.callback_at)
        words += f", {delta:.0f} ms after Discord recorded its acknowledgement" if delta >= 0 else \
            f"; its acknowledgement, already on the wire, reached Discord {-delta:.0f} ms after the kill"
    return words + ")"


def kills_near(request: Request, kills: list[Kill]) -> str:
    """The kills aimed at this request, or else the first after it was sent, in words."""
    if request.sent_at is None:
        return "no kill (never sent)"
    aimed = [k for k in kills if k.request == request.index]
    if aimed:
        return "kill(s) aimed at it: " + "; ".join(_kill_words(k, request) for k in aimed[:3])
    after = [k for k in kills if k.at >= request.sent_at]
    if not after:
        return "no kill after it was sent"
    return "the first kill after it was sent: " + _kill_words(after[0], request)


def _stuck_kind(last: str) -> str:
    if "thinking" in last:
        return "no outcome: still 'thinking…'"
    if "stale progress" in last:
        return "no outcome: a stale progress message"
    if last.startswith("nothing: the public"):
        return "no outcome: 'thinking…' removed, nothing said"
    return "no outcome: other"


def judge(request: Request, discord_fake: Any, uploads: Counter[int], paid: Counter[str],
          kills: list[Kill], job_state: str | None) -> Outcome:
    """Decide what ``request`` ended with, from the fake Discord's records only."""
    prompt = request.prompt
    inter = request.interaction
    mine = [m for m in discord_fake.bot_messages() if not m.deleted and not m.ephemeral and (
        (inter is not None and m.interaction_id == inter.id) or _shows_prompt(m, prompt))]
    results = [m for m in mine if _result_files(m.attachments) and _title(m) != FAILURE_TITLE
               and not m.loading and QUEUE_TITLE not in _title(m)]
    results = [m for m in results if _shows_prompt(m, prompt)]
    failures = [m for m in mine if _title(m) == FAILURE_TITLE and _shows_prompt(m, prompt)]
    private = ephemeral_text(inter) if inter is not None else None
    outcome = Outcome(category="stuck", result_messages=len(results), result_uploads=uploads[request.index],
                      paid_calls=paid[prompt], last_seen=last_seen(request))
    outcome.images = sum(len(_result_files(m.attachments)) for m in results[:1])
    acknowledged = inter is not None and bool(inter.responses)
    context = f"the member last saw {outcome.last_seen}; {kills_near(request, kills)}; job in the database: " \
              f"{job_state or 'none'}"

    if len(results) > 1:
        outcome.problems.append(("duplicate result messages", f"{request.label()}: posted {len(results)} result "
                                 f"messages; {context}"))
    if outcome.result_uploads > 1:
        outcome.problems.append(("images uploaded twice", f"{request.label()}: its images were uploaded "
                                 f"{outcome.result_uploads} times; {context}"))
    if outcome.paid_calls > 1:
        outcome.problems.append(("paid call twice", f"{request.label()}: {outcome.paid_calls} paid API calls for "
                                 f"one request; {context}"))

    if results and not failures and not private:
        outcome.category = "delivered"
        original = inter.original() if acknowledged else None
        if original is not None and not original.deleted and original not in results:
            outcome.problems.append(("delivered, own message stale", f"{request.label()}: delivered in the channel "
                                     f"but its own message still shows {outcome.last_seen}; {context}"))
    elif failures and not results and not private and len(failures) == 1:
        outcome.category = "failed"
    elif private and not results and not failures and (
            inter.original() is None or inter.original().deleted or inter.original().ephemeral):
        outcome.category = "refused"
    elif not acknowledged and not results and not failures:
        outcome.category = "discord_failed"
        sent = request.sent_at or 0.0
        if not any(sent <= k.at <= sent + DISCORD_DEADLINE for k in kills):
            outcome.problems.append(("never acknowledged without a kill", f"{request.label()}: never "
                                     f"acknowledged, although no kill landed within {DISCORD_DEADLINE:.0f} s of "
                                     f"sending it; {context}"))
    elif not (results or failures or private):
        outcome.problems.append((_stuck_kind(outcome.last_seen), f"{request.label()}: no outcome; {context}"))
    else:
        outcome.problems.append(("mixed outcomes", f"{request.label()}: mixed outcomes ({len(results)} result(s), "
                                 f"{len(failures)} failure(s), private note {private!r}); {context}"))
    return outcome


def read_jobs(database: Path) -> list[dict[str, Any]]:
    """Every job row (with its prompt), read from the bot's SQLite file by this process."""
    if not database.exists():
        return []
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT id, state, user_id, images_reserved, images_delivered, request, error "
                            "FROM jobs ORDER BY created_at").fetchall()
    jobs = []
    for row in rows:
        job = dict(row)
        job["prompt"] = json.loads(row["request"]).get("prompt")
        jobs.append(job)
    return jobs


def active_jobs(database: Path) -> list[dict[str, Any]]:
    """Jobs still queued, running, submitted or delivering."""
    return [j for j in read_jobs(database) if j["state"] in ACTIVE_STATES]
