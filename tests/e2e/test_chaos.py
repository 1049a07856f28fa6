"""Issue 17: every acknowledged request reaches an outcome, even under a storm of kills.

``python -m bot`` runs as its own process against the in-process fakes and is killed with
SIGKILL over and over (and restarted on the same SQLite file each time) while members send
``/generate`` (half of them streaming previews) and ``/edit``. Each kill is aimed at one phase of a
request's life, by a hook of the fakes (:mod:`tests.fakes.hooks`) that kills the process
synchronously the moment the fake sees that phase:

=================  ===============================================================================
``before_ack``     the fake Discord just sent an INTERACTION_CREATE
``after_ack``      the fake Discord recorded the bot's acknowledgement (defer), before answering it
``queued``         the bot showed a job's place in the queue (``MAX_CONCURRENT_JOBS=2``)
``generation``     the fake API received a generation request (a paid call is under way)
``preview``        the fake API streamed a partial image
``edit_submit``    the fake API received an edit submission (a paid call is under way)
``poll``           the fake API received a prediction poll
``upload_dropped`` the fake Discord received the result's upload; it is dropped, never applied
``upload_applied`` the fake Discord applied the result's upload; the bot never heard back
``tell``           the bot's "No image this time" (sent after the refund) is on its way; dropped
``recovery``       a restarted bot's first call that resumes work (a Discord call is dropped)
=================  ===============================================================================

Both upload kills are used: "dropped" is the bot dying before Discord got the images (recovery
must post them once, or fail and refund), "applied" is the bot dying after they were posted but
before it recorded so (recovery must notice they are out and never post them again).

The verdict reads only what the fakes recorded (and the database for quotas); see
:mod:`tests.e2e.chaos_verdict`. Each seed prints a summary and writes ``chaos-summary.json`` in
its temporary directory. Run apart with ``python -m pytest -m chaos -s``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.chaos_verdict import (
    FAILURE_TITLE,
    PREVIEW_FILENAME,
    QUEUE_TITLE,
    Kill,
    Outcome,
    Request,
    active_jobs,
    judge,
    paid_calls,
    read_jobs,
    result_uploads,
)
from tests.e2e.conftest import API_KEY, DISCORD_TOKEN
from tests.e2e.test_process_kill import spawn_bot
from tests.fakes.hooks import DROP, Event
from tests.fakes.imagegen import make_image

pytestmark = [pytest.mark.chaos, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")]

SEEDS = (1, 2, 3)
MEMBERS = 6
USER_DAILY_IMAGES = 10
MAX_CONCURRENT_JOBS = 2
MAX_JOBS_PER_USER = 3
TIME_SCALE = 0.5
"""The fake API's 1-3 s generations and 2-8 s predictions run at this fraction of their time."""

PHASES = ("before_ack", "after_ack", "queued", "generation", "preview", "edit_submit", "poll",
          "upload_dropped", "upload_applied", "tell")
ROUNDS = 2
"""Each phase is aimed at this many times per seed, plus ``EXTRA_KILLS`` drawn at random."""
EXTRA_KILLS = 3
RECOVERY_KILLS = 5
"""Restarts (after an aimed kill) whose first call that resumes work is killed too."""
BACKGROUND_REQUESTS = 20
MIN_KILLS = 20
MIN_REQUESTS = 40

STORM_BUDGET = 70.0
"""Seconds after which no further kill is aimed (the storm then settles)."""
PHASE_TIMEOUT = 10.0
READY_TIMEOUT = 30.0
RECOVERY_WINDOW = 1.5
"""Seconds after READY during which a restarted bot's calls count as its recovery."""
SETTLE_TIMEOUT = 45.0
QUIET = 3.0
TEST_TIMEOUT = 200.0

KINDS = ("generate+preview", "generate", "edit")
WORDS = ("lighthouse", "storm", "fox", "harbour", "neon", "forest", "glacier", "market", "comet",
         "violin", "desert", "tram", "orchid", "castle", "robot", "meadow", "canyon", "lantern")


def _title(body: Any) -> str:
    """The first embed title of a request body (JSON), or ""."""
    if not isinstance(body, dict):
        return ""
    return next((e.get("title") or "" for e in body.get("embeds") or [] if isinstance(e, dict)), "")


def _result_upload(files: list[tuple[str, Any]]) -> bool:
    """Whether an upload carries result images (not just a progress preview)."""
    return any(name != PREVIEW_FILENAME for name, _ in files)


class Storm:
    """The bot process, the seeded schedule of requests and kills, and the hooks that kill."""

    def __init__(self, seed: int, discord_fake: Any, gptproto: Any, tmp_path: Path) -> None:
        self.seed = seed
        self.discord = discord_fake
        self.api = gptproto
        self.database = tmp_path / "bot.db"
        self.log_path = tmp_path / "bot.log"
        self.members = [discord_fake.add_user(f"artist{i}") for i in range(1, MEMBERS + 1)]
        self.requests: list[Request] = []
        self.by_prompt: dict[str, Request] = {}
        self.kills: list[Kill] = []
        self.missed: Counter[str] = Counter()
        self.restart_seconds: list[float] = []
        self.proc: asyncio.subprocess.Process | None = None
        self.alive = False
        self.ready = asyncio.Event()
        self.fired = asyncio.Event()
        self.armed: str | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.scheduled: set[int] = set()  # requests handed to send(), so none is sent twice
        self.started = time.monotonic()
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "GPTPROTO_API_KEY")},
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "GPTPROTO_API_KEY": API_KEY,
            "GPTPROTO_BASE_URL": gptproto.base_url,
            "DISCORD_API_BASE_URL": discord_fake.rest_url,
            "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "DEV_GUILD_ID": str(discord_fake.guild_id),
            "LOG_LEVEL": "INFO",
            "PREVIEW_IMAGES": "2",
            "MAX_CONCURRENT_JOBS": str(MAX_CONCURRENT_JOBS),
            "MAX_JOBS_PER_USER": str(MAX_JOBS_PER_USER),
            "USER_DAILY_IMAGES": str(USER_DAILY_IMAGES),
            "GUILD_DAILY_IMAGES": "1000",
            "EDIT_TIMEOUT_S": "120",
        }
        gptproto.time_scale = TIME_SCALE
        gptproto.stream_partial_delay = 0.5
        gptproto.latency = self._api_seconds
        gptproto.prediction_duration = self._api_seconds
        discord_fake.on_event("interaction_create", self._on_interaction_create)
        discord_fake.on_event("callback", self._on_callback)
        discord_fake.on_event("request", self._on_discord_request)
        discord_fake.on_event("upload", self._on_upload)
        discord_fake.on_event("response", self._on_discord_response)
        gptproto.on_event("request", self._on_api_request)
        gptproto.on_event("partial", self._on_partial)
        rng = random.Random(seed)
        self.plan = self._make_plan(rng)
        self.background = [self._new_request(rng, rng.choice(KINDS)) for _ in range(BACKGROUND_REQUESTS)]
        self.background_gaps = [rng.uniform(0.5, 2.5) for _ in self.background]

    # -- the seeded schedule ------------------------------------------------------------------

    def _new_request(self, rng: random.Random, kind: str, member: int | None = None) -> Request:
        index = len(self.requests) + 1
        member = member or rng.randint(1, MEMBERS)
        n = 1 if kind == "edit" else rng.choice((1, 1, 1, 2))
        seconds = rng.uniform(2.0, 8.0) if kind == "edit" else rng.uniform(1.0, 3.0)
        words = " ".join(rng.choice(WORDS) for _ in range(3))
        request = Request(index=index, kind=kind, user_id=self.members[member - 1], member=member,
                          prompt=f"chaos s{self.seed} r{index:02d} {words}", n=n, seconds=seconds)
        self.requests.append(request)
        self.by_prompt[request.prompt] = request
        return request

    def _make_plan(self, rng: random.Random) -> list[tuple[str, bool, list[Request], str | None]]:
        """(phase, kill the recovery after it, the requests that provoke it, a fault to inject)."""
        phases = list(PHASES) * ROUNDS + [rng.choice(PHASES) for _ in range(EXTRA_KILLS)]
        rng.shuffle(phases)
        recover_after = set(rng.sample(range(len(phases)), RECOVERY_KILLS))
        plan = []
        for position, phase in enumerate(phases):
            fault = None
            if phase == "queued":
                members = rng.sample(range(1, MEMBERS + 1), 4)
                stimulus = [self._new_request(rng, rng.choice(KINDS), m) for m in members]
            elif phase in ("generation", "preview", "edit_submit", "poll"):
                kind = {"generation": "generate", "preview": "generate+preview"}.get(phase, "edit")
                stimulus = [self._new_request(rng, kind)]
            elif phase in ("upload_dropped", "upload_applied"):
                stimulus = [self._new_request(rng, rng.choice(KINDS[:2]))]
            elif phase == "tell":
                kind = rng.choice(("generate", "edit"))
                fault = "content_policy" if kind == "generate" else "prediction_failed"
                stimulus = [self._new_request(rng, kind)]
            else:
                stimulus = [self._new_request(rng, rng.choice(KINDS))]
            plan.append((phase, position in recover_after, stimulus, fault))
        return plan

    def _api_seconds(self, rec: Any) -> float:
        """The fake API's latency or prediction duration for this request's prompt."""
        request = self.by_prompt.get((rec.json or {}).get("prompt", "")) if isinstance(rec.json, dict) else None
        return request.seconds if request else 1.0

    # -- the bot process ----------------------------------------------------------------------

    def now(self) -> float:
        """Seconds since the storm began."""
        return time.monotonic() - self.started

    def kill(self, phase: str, what: str, request: Request | None = None) -> bool:
        """SIGKILL the bot now (from inside a fake's handler); ``False`` if it is already dead."""
        if not self.alive or self.proc is None:
            return False
        try:
            os.kill(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.alive = False
        self.ready.clear()
        self.armed = None
        self.kills.append(Kill(number=len(self.kills) + 1, phase=phase, at=time.monotonic(), pid=self.proc.pid,
                               what=what, request=request.index if request else None))
        self.fired.set()
        return True

    async def reap(self) -> None:
        """Wait for the killed process to be gone."""
        if self.proc is not None and self.proc.returncode is None:
            await asyncio.wait_for(self.proc.wait(), 10)

    async def start(self, *, recovery: bool) -> None:
        """Start ``python -m bot``; with ``recovery``, kill it at its first call that resumes work."""
        for _attempt in range(3):
            self.fired.clear()
            self.armed = "recovery" if recovery else None
            ready_before = self.discord.ready_count
            spawned = time.monotonic()
            self.proc = await spawn_bot(self.env, self.log_path)
            self.alive = True
            proc = self.proc
            try:
                await self.discord.wait_for(
                    lambda f, proc=proc, before=ready_before: not self.alive or proc.returncode is not None
                    or (f.ready_count > before and f.connected),
                    READY_TIMEOUT, what="the restarted bot to be ready")
            except TimeoutError as error:
                raise AssertionError(f"the bot did not come back within {READY_TIMEOUT:.0f} s: {error}; "
                                     f"log: {self.log_path}") from None
            if proc.returncode is not None and self.alive:
                raise AssertionError(f"the bot exited on its own with code {proc.returncode}; log: {self.log_path}")
            if self.alive and recovery:
                try:
                    await asyncio.wait_for(self.fired.wait(), RECOVERY_WINDOW)
                except TimeoutError:
                    self.armed = None
                    self.missed["recovery"] += 1
            if self.alive:
                self.restart_seconds.append(time.monotonic() - spawned)
                self.ready.set()
                return
            await self.reap()
            recovery = False
        raise AssertionError("the bot was killed during recovery three times in a row")

    async def stop(self) -> None:
        """End the bot for good (SIGTERM, then SIGKILL)."""
        self.armed = None
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        self.alive = False
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()

    # -- hooks: each kills the bot the moment the armed phase happens -------------------------

    def _request_of(self, interaction: Any) -> Request | None:
        if interaction is None:
            return None
        prompt = next((o.get("value") for o in interaction.data.get("options") or [] if o.get("name") == "prompt"),
                      None)
        return self.by_prompt.get(prompt) if prompt else None

    def _request_in(self, body: Any) -> Request | None:
        text = json.dumps(body) if body is not None else ""
        return next((r for r in self.requests if r.prompt in text), None)

    def _on_interaction_create(self, event: Event) -> None:
        request = self._request_of(event["interaction"])
        if self.armed == "before_ack" and request is not None:
            self.kill("before_ack", f"INTERACTION_CREATE of request #{request.index} just sent", request)

    def _on_callback(self, event: Event) -> None:
        request = self._request_of(event["interaction"])
        if self.armed == "after_ack" and request is not None and event["response"]["type"] == 5:
            self.kill("after_ack", f"request #{request.index} just acknowledged (deferred)", request)

    def _on_discord_request(self, event: Event) -> Any:
        entry = event["request"]
        if self.armed == "tell" and _title(entry.body) == FAILURE_TITLE:
            request = self._request_of(event["interaction"]) or self._request_in(entry.body)
            label = f"request #{request.index}" if request else "a request"
            if self.kill("tell", f"'{FAILURE_TITLE}' for {label} was on its way (dropped)", request):
                return DROP
        if self.armed == "recovery" and entry.path.startswith(("/webhooks/", "/channels/")):
            request = self._request_of(event["interaction"]) or self._request_in(entry.body)
            label = f" of request #{request.index}" if request else ""
            if self.kill("recovery", f"{entry.method} {entry.path.split('/')[1]}{label} right after a restart "
                                     "(dropped)", request):
                return DROP
        return None

    def _on_upload(self, event: Event) -> Any:
        if self.armed == "upload_dropped" and _result_upload(event["files"]):
            request = self._request_of(event["interaction"]) or self._request_in(event["request"].body)
            label = f"request #{request.index}" if request else "a request"
            if self.kill("upload_dropped", f"the result of {label} was being uploaded (dropped)", request):
                return DROP
        return None

    def _on_discord_response(self, event: Event) -> None:
        entry = event["request"]
        if self.armed == "queued" and entry.method == "PATCH" and QUEUE_TITLE in _title(entry.body):
            request = self._request_of(event["interaction"])
            label = f"request #{request.index}" if request else "a request"
            self.kill("queued", f"{label} shown '{_title(entry.body)}'", request)
        elif (self.armed == "upload_applied" and entry.status is not None and entry.status < 300
              and _result_upload(entry.files)):
            request = self._request_of(event["interaction"]) or self._request_in(entry.body)
            label = f"request #{request.index}" if request else "a request"
            self.kill("upload_applied", f"the result of {label} was posted; the bot never heard back", request)

    def _on_api_request(self, event: Event) -> None:
        rec = event["request"]
        phase = {"generate": "generation", "edit": "edit_submit", "poll": "poll"}.get(rec.route)
        if phase is None or self.armed not in (phase, "recovery"):
            return
        request = self.by_prompt.get(rec.json.get("prompt")) if isinstance(rec.json, dict) else None
        if rec.route == "poll":
            prediction = self.api.predictions.get(rec.path.rstrip("/").split("/")[-2])
            request = self.by_prompt.get(prediction.params.prompt) if prediction else None
        label = f"request #{request.index}" if request else "a request"
        self.kill(self.armed or phase, f"the API received {rec.route} of {label}", request)

    def _on_partial(self, event: Event) -> None:
        if self.armed == "preview":
            rec = event["request"]
            request = self.by_prompt.get(rec.json.get("prompt")) if isinstance(rec.json, dict) else None
            label = f"request #{request.index}" if request else "a request"
            self.kill("preview", f"partial image {event['index'] + 1} of {label} streamed", request)

    # -- sending requests ---------------------------------------------------------------------

    def spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def schedule(self, request: Request) -> None:
        """Send ``request`` in the background (once: a request is never sent twice)."""
        if request.index not in self.scheduled:
            self.scheduled.add(request.index)
            self.spawn(self.send(request))

    async def send(self, request: Request) -> None:
        """Send one request as its member, once a bot is ready (again after a kill, if need be)."""
        for _attempt in range(3):
            await asyncio.wait_for(self.ready.wait(), READY_TIMEOUT + 10)
            if not self.alive:  # killed between the wake-up and now: wait for the next bot
                continue
            request.sent_at = time.monotonic()
            attachments = None
            if request.kind == "edit":
                image = self.discord.add_attachment(make_image(256, 256, seed=request.index, fmt="png"),
                                                    f"photo-{request.index}.png")
                options: dict[str, Any] = {"prompt": request.prompt, "image": image["id"], "size": "256x256",
                                           "quality": "low"}
                attachments = {"image": image}
            else:
                model = "gpt-image-1" if request.kind == "generate+preview" else "gpt-4o-image-vip"
                options = {"prompt": request.prompt, "model": model, "size": "1024x1024", "quality": "low",
                           "n": request.n}
            try:
                request.interaction = await self.discord.slash(request.command, options, attachments=attachments,
                                                               user_id=request.user_id)
                return
            except RuntimeError:  # the bot's connection was gone (just killed): send it to the next one
                await asyncio.sleep(0.05)
        raise AssertionError(f"{request.label()} could not be sent to any bot")

    async def send_background(self) -> None:
        for request, gap in zip(self.background, self.background_gaps, strict=True):
            await asyncio.sleep(gap)
            self.schedule(request)

    # -- the storm ----------------------------------------------------------------------------

    async def run(self) -> None:
        """Start the bot, aim every planned kill, restart after each."""
        await self.start(recovery=False)
        await self.discord.wait_for(lambda f: f.guild_id in f.synced_commands, 20, what="the command sync")
        self.spawn(self.send_background())
        for phase, recover_after, stimulus, fault in self.plan:
            if self.now() > STORM_BUDGET:
                self.missed["(no time left)"] += 1
                continue
            await asyncio.wait_for(self.ready.wait(), READY_TIMEOUT)
            self.fired.clear()
            self.armed = phase
            if fault == "content_policy":
                self.api.fail_next("content_policy", route="generate")
            elif fault == "prediction_failed":
                self.api.fail_next("prediction_failed", route="edit")
            for request in stimulus:
                self.schedule(request)
            try:
                await asyncio.wait_for(self.fired.wait(), PHASE_TIMEOUT)
            except TimeoutError:
                self.armed = None
                self.missed[phase] += 1
                continue
            await self.reap()
            await self.start(recovery=recover_after)

    async def settle(self) -> None:
        """Let every job finish: no job active and every request answered (or nothing moving)."""
        self.armed = None
        for request in self.requests:  # those whose phase or turn the storm did not reach
            self.schedule(request)
        deadline = time.monotonic() + SETTLE_TIMEOUT
        activity = (-1, -1)
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.25)
            now_activity = (len(self.discord.request_log), len(self.api.requests))
            if now_activity != activity:
                activity, quiet_since = now_activity, time.monotonic()
            if self.tasks or active_jobs(self.database):
                continue
            if time.monotonic() - quiet_since >= QUIET:
                return

    # -- the verdict --------------------------------------------------------------------------

    def verdict(self) -> tuple[dict[str, Any], list[str]]:
        """The summary for the lead and every problem, in words."""
        jobs = read_jobs(self.database)
        job_by_prompt = {j["prompt"]: j for j in jobs}
        uploads = result_uploads(self.discord, self.requests)
        paid = paid_calls(self.api)
        sent = [r for r in self.requests if r.interaction is not None]
        outcomes: dict[int, Outcome] = {}
        for request in sent:
            job = job_by_prompt.get(request.prompt)
            state = f"{job['state']} ({job['error']})" if job and job["error"] else job["state"] if job else None
            outcomes[request.index] = judge(request, self.discord, uploads, paid, self.kills, state)
        problems = [p for o in outcomes.values() for p in o.problems]  # (kind, sentence)

        delivered: Counter[int] = Counter()
        for request in sent:
            if outcomes[request.index].category == "delivered":
                delivered[request.member] += outcomes[request.index].images
        for member, user_id in enumerate(self.members, start=1):
            reserved = sum(j["images_reserved"] for j in jobs if j["user_id"] == user_id)
            if reserved != delivered[member]:
                mine = ", ".join(f"#{self.by_prompt[j['prompt']].index} {j['state']} reserved {j['images_reserved']}"
                                 for j in jobs if j["user_id"] == user_id and j["images_reserved"])
                problems.append(("quota mismatch", f"member {member}: the database counts {reserved} image(s) "
                                 f"against the daily quota ({USER_DAILY_IMAGES - reserved} of {USER_DAILY_IMAGES} "
                                 f"left) but the member received {delivered[member]}; jobs holding quota: "
                                 f"{mine or 'none'}"))
        if not self.alive or self.proc is None or self.proc.returncode is not None:
            problems.append(("bot not running", f"the bot is not running at the end (exit code "
                            f"{self.proc.returncode if self.proc else None}); log: {self.log_path}"))
        for job in active_jobs(self.database):
            request = self.by_prompt.get(job["prompt"])
            label = request.label() if request else repr(job["prompt"])
            problems.append(("job still active", f"{label}: its job is still {job['state']} after the storm "
                                                  "settled"))
        for name, errors in (("fake Discord hook", self.discord.hook_errors),
                             ("fake GPTProto hook", self.api.hook_errors),
                             ("fake Discord internal", self.discord.internal_errors)):
            problems.extend(("fake error", f"{name} error: {e.splitlines()[-1] if e else e}") for e in errors)

        categories = Counter(o.category for o in outcomes.values())
        summary = {
            "seed": self.seed,
            "requests": len(sent),
            "kills": len(self.kills),
            "kills_by_phase": dict(Counter(k.phase for k in self.kills)),
            "phases_missed": dict(self.missed),
            "delivered": categories["delivered"],
            "refused": categories["refused"],
            "failed": categories["failed"],
            "discord_failed": categories["discord_failed"],
            "no_outcome": categories["stuck"],
            "duplicates": sum(max(0, o.result_messages - 1) + max(0, o.result_uploads - 1)
                              for o in outcomes.values()),
            "paid_twice": sum(1 for o in outcomes.values() if o.paid_calls > 1),
            "restart_seconds_median": round(statistics.median(self.restart_seconds), 2)
            if self.restart_seconds else None,
            "runtime_seconds": round(self.now(), 1),
            "problem_kinds": dict(Counter(kind for kind, _ in problems)),
            "problems": [sentence for _, sentence in problems],
            "bot_log": str(self.log_path),
        }
        return summary, problems


@pytest.mark.parametrize("seed", SEEDS)
async def test_every_acknowledged_request_reaches_one_outcome_under_a_storm_of_kills(
        discord_fake, gptproto, tmp_path, seed):
    """≥ 20 SIGKILLs aimed at every phase of a request's life, ~50 requests from 6 members: every
    request ends with one result or one clear sentence, nothing is posted or paid twice, and each
    member's quota matches the images they received."""
    storm = Storm(seed, discord_fake, gptproto, tmp_path)
    try:
        async with asyncio.timeout(TEST_TIMEOUT):
            await storm.run()
            await storm.settle()
            summary, problems = storm.verdict()
    finally:
        for task in list(storm.tasks):
            task.cancel()
        await asyncio.gather(*storm.tasks, return_exceptions=True)
        await storm.stop()
    (tmp_path / "chaos-summary.json").write_text(json.dumps(summary, indent=2))
    counts = {k: v for k, v in summary.items() if k not in ("problems", "bot_log")}
    print(f"\nchaos seed {seed}: {json.dumps(counts)}\n  summary: {tmp_path / 'chaos-summary.json'}")
    assert summary["kills"] >= MIN_KILLS, f"the storm landed only {summary['kills']} kills: {counts}"
    assert summary["requests"] >= MIN_REQUESTS, f"the storm sent only {summary['requests']} requests: {counts}"
    assert not problems, (f"seed {seed}: {len(problems)} problem(s) under the storm {counts}:\n  "
                          + "\n  ".join(summary["problems"]))
