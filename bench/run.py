"""``python -m bench.run``: benchmark the real bot against the fakes, beside a minimal "floor" bot.

Everything runs on this machine: the fake GPTProto and two fake Discords (one for the bot, one
for the floor, so both stay connected and repetitions can alternate between them) live in this
process; the real bot (``python -m bench.launch_bot``, i.e. ``bot.__main__.run`` plus a loop
monitor) and the floor (``python -m bench.floor``) are separate processes, so their memory and
CPU are their own. Only 127.0.0.1 is contacted; every wait is bounded.

    python -m bench.run            # the full benchmark (about 5½ minutes on 2 cores)
    python -m bench.run --smoke    # one small repetition of each scenario, no goal checked (< 60 s)
    python -m bench.run --postgres postgresql://postgres@127.0.0.1:5432/test   # the bot on PostgreSQL

Figures (see BENCHMARKS.md for what each one means and how it is measured):

1. first answer: gateway dispatch of INTERACTION_CREATE -> interaction callback, bursts of 100
2. overhead per job: end to end minus the time the fake API spent, one 1024x1024 PNG at a time
3. throughput: jobs per second, instant API, quotas on
4. memory: peak RSS of the bot (the process's own, and its process group's) with 20 concurrent
   3840x2160 results fitted and posted, and the time until all 20 are posted
5. polling: delay between a prediction completing and the bot noticing, and polls per job
6. event-loop health: the largest loop stall in the bot process during all of the above

Exit status: 0 whatever the figures (goals are reported, not enforced); 1 when the benchmark
itself breaks (a process does not start, a job fails or is never delivered).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import asyncpg
import yarl

from bench.monitor import LoopMonitor
from tests.fakes.discord import FakeDiscord, FakeInteraction
from tests.fakes.gptproto import FakeGPTProto
from tests.fakes.imagegen import make_image

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sk-bench-0123456789abcdef0123456789"
TOKEN = "bench-discord-token-0123456789abcdefghij"
USERS = 100
#: Variables of the bot's configuration: never inherited from the caller's environment.
BOT_VARIABLES = (
    "DISCORD_TOKEN", "GPTPROTO_API_KEY", "GPTPROTO_BASE_URL", "DISCORD_API_BASE_URL",
    "DISCORD_GATEWAY_URL", "DATABASE_URL", "DEFAULT_MODEL", "DEFAULT_EDIT_MODEL",
    "USER_DAILY_IMAGES", "GUILD_DAILY_IMAGES", "MAX_CONCURRENT_JOBS", "MAX_JOBS_PER_USER",
    "EDIT_TIMEOUT_S", "PREVIEW_IMAGES", "DEV_GUILD_ID", "LOG_LEVEL",
)
#: "Quotas on": the quota machinery runs for every job, with limits the benchmark never reaches.
QUOTAS_ON = {"USER_DAILY_IMAGES": "100000", "GUILD_DAILY_IMAGES": "10000000", "MAX_JOBS_PER_USER": "100"}


class BenchError(Exception):
    """The benchmark itself broke (not a missed goal)."""


@dataclass(frozen=True)
class Plan:
    """How much of each scenario to run."""

    reps: int  # repetitions of the first-answer burst (each side)
    burst: int  # interactions per burst
    burst_latency: float  # API latency (s) during bursts; the floor waits as long
    overhead_jobs: int  # sequential jobs per side
    overhead_latency: float
    throughput_reps: int
    throughput_jobs: int
    memory_jobs: int
    memory_rounds: int
    memory_latency: float
    #: polling lanes: (prediction seconds, jobs per round, rounds); lanes run side by side
    poll_lanes: tuple[tuple[float, int, int], ...]
    poll_time_scale: float


FULL = Plan(reps=5, burst=100, burst_latency=0.5, overhead_jobs=40, overhead_latency=0.25,
            throughput_reps=5, throughput_jobs=200, memory_jobs=20, memory_rounds=2,
            memory_latency=1.0, poll_lanes=((5, 4, 8), (30, 4, 3), (120, 4, 1)), poll_time_scale=1.0)
SMOKE = Plan(reps=1, burst=10, burst_latency=0.2, overhead_jobs=3, overhead_latency=0.1,
             throughput_reps=1, throughput_jobs=10, memory_jobs=2, memory_rounds=1,
             memory_latency=0.2, poll_lanes=((5, 1, 1), (30, 1, 1), (120, 1, 1)), poll_time_scale=0.02)

SCENARIOS = ("first_answer", "overhead", "throughput", "memory", "polling")


# ----------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) with linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: Sequence[float]) -> float:
    """The median; NaN for no values."""
    return percentile(values, 0.5)


def mean(values: Sequence[float]) -> float:
    """The mean; NaN for no values."""
    return sum(values) / len(values) if values else float("nan")


# ----------------------------------------------------------------------------- processes


def read_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB (empty once it is gone)."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0])
    return out


class Proc:
    """The bot or the floor, as its own process, with its monitor file."""

    def __init__(self, name: str, module: str, env: dict[str, str], workdir: Path, profile: Path | None = None):
        self.name = name
        self.module = module
        self.workdir = workdir
        self.monitor_file = workdir / f"{name}-monitor.json"
        self.log_path = workdir / f"{name}.log"
        self.env = {**env, "BENCH_MONITOR_FILE": str(self.monitor_file)}
        if profile is not None:
            self.env["BENCH_PROFILE"] = str(profile)
        self.proc: asyncio.subprocess.Process | None = None
        self.final: dict[str, Any] | None = None

    async def start(self) -> None:
        """Start the process (its output goes to ``<name>.log`` in the work directory)."""
        self.monitor_file.unlink(missing_ok=True)
        with self.log_path.open("ab") as log:
            # In its own process group, so that the memory of the whole group (the process and any
            # it starts) can be measured as well as the process's own; the bench stops it on exit.
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", self.module, cwd=self.workdir, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, process_group=0)

    @property
    def pid(self) -> int:
        """The process id."""
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.proc is not None and self.proc.returncode is None

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the process's output."""
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def _read_monitor(self) -> dict[str, Any] | None:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(self.monitor_file.read_text())
        return None

    async def window(self) -> dict[str, Any]:
        """End the monitor's current window and return it (a new one starts)."""
        if not self.alive():
            raise BenchError(f"{self.name} died:\n{self.log_tail()}")
        before = (self._read_monitor() or {}).get("seq", 0)
        self.proc.send_signal(signal.SIGUSR1)  # type: ignore[union-attr]
        for _ in range(500):  # 5 s
            data = self._read_monitor()
            if data is not None and data.get("seq", 0) > before:
                return data
            await asyncio.sleep(0.01)
        raise BenchError(f"{self.name} did not write its loop monitor figures")

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after 20 s; keep the monitor's last window."""
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        self.final = self._read_monitor()


def group_rss(pgid: int) -> int | None:
    """The resident memory of every process in process group ``pgid``, in KiB (``None`` if none)."""
    total, found = 0, False
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            if int(stat.rpartition(")")[2].split()[2]) != pgid:  # fields after the name: state, ppid, pgrp
                continue
            total += int((entry / "statm").read_text().split()[1]) * page_kib
            found = True
    return total if found else None


def reset_peak(pid: int) -> bool:
    """Reset a process's peak RSS (``VmHWM``) to its current RSS; False where Linux refuses."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def base_env() -> dict[str, str]:
    """The caller's environment without the bot's variables, with the repository importable."""
    env = {k: v for k, v in os.environ.items() if k not in BOT_VARIABLES and not k.startswith("BENCH_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# ----------------------------------------------------------------------------- one side


@dataclass
class Side:
    """One bot under test (the real bot or the floor) with its own fake Discord."""

    name: str
    dc: FakeDiscord
    users: list[int]
    proc: Proc | None = None
    interactions: dict[str, FakeInteraction] = field(default_factory=dict)
    result_at: dict[str, float] = field(default_factory=dict)
    _scanned: int = 0
    _next_user: int = 0

    @property
    def is_bot(self) -> bool:
        """The real bot (not the floor)."""
        return self.name == "bot"

    def generate_options(self, prompt: str, *, big: bool, delay: float) -> dict[str, Any]:
        """/generate options: the bot's real ones, or the floor's stand-ins for the same work."""
        if self.is_bot:
            if big:
                return {"prompt": prompt, "model": "gpt-image-2", "size": "3840x2160"}
            return {"prompt": prompt, "size": "1024x1024"}
        if big:
            return {"prompt": prompt, "size": "3840x2160", "fmt": "webp", "noisy": True, "delay": delay}
        return {"prompt": prompt, "size": "1024x1024", "delay": delay}

    def user(self) -> int:
        """The next member, round robin (so per-member limits never refuse a benchmark job)."""
        self._next_user += 1
        return self.users[self._next_user % len(self.users)]

    async def generate(self, count: int, *, prompt: str = "bench: a lighthouse in a storm",
                       big: bool = False, delay: float = 0.0) -> list[FakeInteraction]:
        """Send ``count`` /generate at once (one gateway burst)."""
        options = self.generate_options(prompt, big=big, delay=delay)
        sent = await asyncio.gather(*(self.dc.slash("generate", dict(options), user_id=self.user())
                                      for _ in range(count)))
        for inter in sent:
            self.interactions[inter.token] = inter
        return list(sent)

    async def edit(self, prompt: str, attachment: dict[str, Any]) -> FakeInteraction:
        """Send one /edit of ``attachment``."""
        inter = await self.dc.slash("edit", {"prompt": prompt}, attachments={"image": attachment},
                                    user_id=self.user())
        self.interactions[inter.token] = inter
        return inter

    def _scan(self) -> None:
        """Find result posts (a webhook request carrying files, not a preview) in the fake's log."""
        log = self.dc.request_log
        while self._scanned < len(log):
            entry = log[self._scanned]
            if entry.finished_at is None:
                return  # still being handled; look again later
            self._scanned += 1
            if not entry.files or not entry.status or entry.status >= 300 or not entry.path.startswith("/webhooks/"):
                continue
            if all(name.startswith("preview") for name, _ in entry.files):
                continue
            token = entry.path.split("/")[3]
            if token in self.interactions and token not in self.result_at:
                self.result_at[token] = entry.finished_at

    @staticmethod
    def failure(inter: FakeInteraction) -> str | None:
        """Why this interaction will never get its image, if it is known already."""
        if inter.failures:
            return f"Discord refused a request: {inter.failures[0]}"
        if inter.ephemeral:
            data = inter.responses[0].get("data") or {}
            return f"refused privately: {data.get('content')!r}"
        message = inter.original()
        if message is not None:
            for embed in message.embeds:
                if embed.get("title") == "No image this time":
                    return f"failed: {embed.get('description')!r}"
        return None

    async def wait_delivered(self, inters: Iterable[FakeInteraction], timeout: float) -> None:  # noqa: ASYNC109
        """Wait until every interaction's image is posted; raise BenchError on a failure or timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        pending = list(inters)
        while True:
            self._scan()
            pending = [i for i in pending if i.token not in self.result_at]
            if not pending:
                return
            for inter in pending:
                reason = self.failure(inter)
                if reason:
                    raise BenchError(f"{self.name}: a job did not complete: {reason}")
            if self.proc is not None and not self.proc.alive():
                raise BenchError(f"{self.name} died:\n{self.proc.log_tail()}")
            if loop.time() > deadline:
                raise BenchError(f"{self.name}: {len(pending)} job(s) not delivered within {timeout:.0f} s; "
                                 f"{self.dc.describe()}\n{self.proc.log_tail() if self.proc else ''}")
            await asyncio.sleep(0.02)

    def first_answers(self, inters: Iterable[FakeInteraction]) -> list[float]:
        """Seconds from dispatch to the first callback, per interaction."""
        out = []
        for inter in inters:
            if inter.callback_at is None or inter.dispatched_at is None:
                raise BenchError(f"{self.name}: interaction {inter.id} was never answered")
            out.append(inter.callback_at - inter.dispatched_at)
        return out

    def end_to_end(self, inter: FakeInteraction) -> float:
        """Seconds from dispatch to the result post being handled by the fake."""
        assert inter.dispatched_at is not None
        return self.result_at[inter.token] - inter.dispatched_at


def settle() -> None:
    """Collect this process's garbage and freeze what is left, so that the harness (the fakes) does
    not pause for a full collection over everything recorded so far in the middle of a measurement."""
    gc.collect()
    gc.freeze()


async def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
    """Check ``predicate`` every 20 ms for at most ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


# ----------------------------------------------------------------------------- the benchmark


class Bench:
    """Owns the fakes, the processes and the results."""

    def __init__(self, plan: Plan, *, smoke: bool, workdir: Path, scenarios: Sequence[str],
                 profile_dir: Path | None, trace_dir: Path | None = None, spy_dir: Path | None = None,
                 stall_stacks: bool = False, postgres: str | None = None, log=print) -> None:
        self.plan = plan
        #: a PostgreSQL server to run the bot on (a fresh database for each start), else SQLite
        self.postgres = postgres
        self._pg_databases: list[str] = []
        self.spy_dir = spy_dir
        self.trace_dir = trace_dir
        self.smoke = smoke
        self.workdir = workdir
        self.scenarios = scenarios
        self.profile_dir = profile_dir
        self.stall_stacks = stall_stacks
        self.log = log
        self.api = FakeGPTProto(api_key=API_KEY)
        self.bot_dc = FakeDiscord(token=TOKEN)
        self.floor_dc = FakeDiscord(token=TOKEN)
        self.bot = Side("bot", self.bot_dc, [])
        self.floor = Side("floor", self.floor_dc, [])
        self.results: dict[str, Any] = {"windows": {"bot": {}, "floor": {}, "harness": {}}}
        #: the loop of this process (the fakes): its stalls delay what the fakes record
        self.harness = LoopMonitor(None)
        self._db_count = 0

    # -- processes ----------------------------------------------------------------------------

    def _env(self, side: Side, extra: dict[str, str]) -> dict[str, str]:
        env = base_env()
        env.update({
            "DISCORD_TOKEN": TOKEN,
            "GPTPROTO_API_KEY": API_KEY,
            "GPTPROTO_BASE_URL": self.api.base_url,
            "DISCORD_API_BASE_URL": side.dc.rest_url,
            "DISCORD_GATEWAY_URL": side.dc.gateway_url,
            "DEV_GUILD_ID": str(side.dc.guild_id),
        })
        if self.stall_stacks:
            env["BENCH_STALL_STACKS"] = "1"
        env.update(extra)
        return env

    async def start(self, side: Side, extra: dict[str, str] | None = None, *, tag: str = "") -> None:
        """Start the bot (a fresh database each time) or the floor, and wait until it serves."""
        if side.proc is not None:
            await self.stop(side)
        extra = dict(extra or {})
        if side.is_bot:
            self._db_count += 1
            if self.postgres:
                extra["DATABASE_URL"] = await self._fresh_postgres_database()
            else:
                extra["DATABASE_URL"] = f"sqlite:///{self.workdir / f'bot-{self._db_count}.db'}"
            module = "bench.launch_bot"
        else:
            module = "bench.floor"
        profile = None
        if side.is_bot and self.profile_dir is not None:
            profile = self.profile_dir / f"bot{tag}-{self._db_count}.prof"
        env = self._env(side, extra)
        if side.is_bot and self.trace_dir is not None:
            env["BENCH_TRACEMALLOC"] = str(self.trace_dir / f"bot{tag}-{self._db_count}.txt")
        side.proc = Proc(side.name, module, env, self.workdir, profile)
        ready, puts = side.dc.ready_count, side.dc.command_put_count
        await side.proc.start()

        def serving() -> bool:
            if not side.proc.alive():
                raise BenchError(f"{side.name} exited at start:\n{side.proc.log_tail()}")
            return (side.dc.ready_count > ready and side.dc.command_put_count > puts
                    and side.dc.connected and side.dc.guild_id in side.dc.synced_commands)

        await wait_until(serving, 60, f"{side.name} to connect and sync its commands")
        await side.proc.window()  # the monitor answers: start a clean window

    async def _fresh_postgres_database(self) -> str:
        """Create an empty database on ``--postgres``'s server; its URL for the bot."""
        name = f"bench_{os.getpid()}_{self._db_count}"
        conn = await asyncpg.connect(self.postgres, timeout=10)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        self._pg_databases.append(name)
        return str(yarl.URL(self.postgres).with_path(f"/{name}"))

    async def _drop_postgres_databases(self) -> None:
        if not self._pg_databases:
            return
        conn = await asyncpg.connect(self.postgres, timeout=10)
        try:
            for name in self._pg_databases:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    async def stop(self, side: Side) -> None:
        """Stop the side's process; keep its peak memory."""
        if side.proc is None:
            return
        await side.proc.stop()
        side.proc = None

    async def window(self, side: Side, scenario: str) -> dict[str, Any]:
        """End the side's monitor window and file it under ``scenario``."""
        assert side.proc is not None
        data = await side.proc.window()
        self.results["windows"][side.name].setdefault(scenario, []).append(data)
        return data

    async def warm_up(self, side: Side, *, big: bool = False) -> None:
        """A few jobs first, so imports, caches and connections are warm."""
        for _ in range(1 if big else 3):
            inters = await side.generate(1, big=big, delay=0.01)
            await side.wait_delivered(inters, 120)

    # -- scenarios ----------------------------------------------------------------------------

    def _order(self, rep: int) -> list[Side]:
        return [self.floor, self.bot] if rep % 2 == 0 else [self.bot, self.floor]

    async def first_answer(self) -> None:
        """Figure 1: bursts of interactions at once; dispatch -> callback. Per burst p50 and p99,
        then the median over the bursts (a burst that a noisy neighbour slowed moves it little)."""
        plan = self.plan
        self.api.latency = plan.burst_latency
        samples: dict[str, list[float]] = {"bot": [], "floor": []}
        per_rep: dict[str, dict[str, list[float]]] = {n: {"p50_s": [], "p99_s": []} for n in ("bot", "floor")}
        for rep in range(plan.reps):
            for side in self._order(rep):
                settle()
                await side.proc.window()
                inters = await side.generate(plan.burst, delay=plan.burst_latency)
                await side.wait_delivered(inters, 60 + plan.burst * (plan.burst_latency + 0.5))
                answers = side.first_answers(inters)
                samples[side.name] += answers
                per_rep[side.name]["p50_s"].append(median(answers))
                per_rep[side.name]["p99_s"].append(percentile(answers, 0.99))
                await self.window(side, "first_answer")
                await asyncio.sleep(0.2)
        self.results["first_answer"] = {
            name: {"samples_s": values, "p50_s": median(per_rep[name]["p50_s"]),
                   "p99_s": median(per_rep[name]["p99_s"]), "pooled_p50_s": median(values),
                   "pooled_p99_s": percentile(values, 0.99), "per_rep_p50_s": per_rep[name]["p50_s"],
                   "per_rep_p99_s": per_rep[name]["p99_s"], "bursts": plan.reps, "burst": plan.burst}
            for name, values in samples.items()
        }
        fa = self.results["first_answer"]
        self.log(f"  first answer p99 (median of {plan.reps} bursts): bot {fa['bot']['p99_s'] * 1000:.0f} ms, "
                 f"floor {fa['floor']['p99_s'] * 1000:.0f} ms")

    async def overhead(self) -> None:
        """Figure 2: one job at a time; end to end minus the API's own time, with a breakdown."""
        plan = self.plan
        self.api.latency = plan.overhead_latency
        out: dict[str, dict[str, list[float]]] = {n: {"e2e_s": [], "api_s": [], "overhead_s": []}
                                                  for n in ("bot", "floor")}
        phases: dict[str, dict[str, list[float]]] = {"bot": {}, "floor": {}}
        for side in (self.bot, self.floor):
            await side.proc.window()
        for job in range(plan.overhead_jobs):
            for side in self._order(job):
                first_request = len(self.api.requests)
                first_rest = len(side.dc.request_log)
                (inter,) = await side.generate(1, delay=plan.overhead_latency)
                await side.wait_delivered([inter], 60)
                e2e = side.end_to_end(inter)
                rest = [e for e in side.dc.request_log[first_rest:] if inter.token in e.path]
                callback = next(e for e in rest if e.path.endswith("/callback"))
                result = next(e for e in rest if e.files and e.finished_at == side.result_at[inter.token])
                assert inter.dispatched_at is not None and result.finished_at is not None
                steps = {"dispatch → answer received": callback.received_at - inter.dispatched_at}
                if side.is_bot:
                    served = [r for r in self.api.requests[first_request:] if r.route == "generate"]
                    if len(served) != 1 or served[0].finished is None:
                        raise BenchError(f"expected one finished API request for the job, saw {len(served)}")
                    api_start, api_end = served[0].time, served[0].finished
                    steps["answer → API request received"] = api_start - callback.received_at
                else:  # the floor's stand-in for the API is a sleep right after its answer
                    api_start = callback.finished_at or callback.received_at
                    api_end = api_start + plan.overhead_latency
                api = api_end - api_start
                steps["API answer → result upload received"] = result.received_at - api_end
                steps["result upload handled by the fake"] = result.finished_at - result.received_at
                for step, value in steps.items():
                    phases[side.name].setdefault(step, []).append(value)
                out[side.name]["e2e_s"].append(e2e)
                out[side.name]["api_s"].append(api)
                out[side.name]["overhead_s"].append(e2e - api)
                await asyncio.sleep(0.05)
        for side in (self.bot, self.floor):
            await self.window(side, "overhead")
        self.results["overhead"] = {
            name: {**values, "p50_s": median(values["overhead_s"]), "p99_s": percentile(values["overhead_s"], 0.99),
                   "e2e_p50_s": median(values["e2e_s"]), "api_p50_s": median(values["api_s"]),
                   "steps_p50_s": {step: median(v) for step, v in phases[name].items()}}
            for name, values in out.items()
        }
        self.log(f"  overhead p50: bot {self.results['overhead']['bot']['p50_s'] * 1000:.1f} ms, "
                 f"floor {self.results['overhead']['floor']['p50_s'] * 1000:.1f} ms")

    async def throughput(self) -> None:
        """Figure 3: a batch of jobs at once against an instant API; jobs per second."""
        plan = self.plan
        self.api.latency = 0.0
        out: dict[str, dict[str, list[float]]] = {n: {"jobs_per_s": [], "cpu_ms_per_job": [], "span_s": []}
                                                  for n in ("bot", "floor")}
        for rep in range(plan.throughput_reps):
            for side in self._order(rep):
                settle()
                start = await side.proc.window()
                inters = await side.generate(plan.throughput_jobs, delay=0.0)
                await side.wait_delivered(inters, 60 + plan.throughput_jobs * 0.5)
                first = min(i.dispatched_at for i in inters)  # type: ignore[type-var]
                last = max(side.result_at[i.token] for i in inters)
                end = await self.window(side, "throughput")
                out[side.name]["span_s"].append(last - first)
                out[side.name]["jobs_per_s"].append(len(inters) / (last - first))
                out[side.name]["cpu_ms_per_job"].append((end["cpu_s"] - start["cpu_s"]) * 1000 / len(inters))
                await asyncio.sleep(0.2)
        self.results["throughput"] = {
            name: {**values, "median_jobs_per_s": median(values["jobs_per_s"]),
                   "median_cpu_ms_per_job": median(values["cpu_ms_per_job"])}
            for name, values in out.items()
        }
        self.log(f"  throughput: bot {self.results['throughput']['bot']['median_jobs_per_s']:.1f} jobs/s, "
                 f"floor {self.results['throughput']['floor']['median_jobs_per_s']:.1f} jobs/s")

    async def memory(self) -> None:
        """Figure 4: fresh processes; many 3840x2160 results at once; peak RSS after the warm-up.

        The bot runs twice: with ``MAX_CONCURRENT_JOBS`` as high as the batch (every result in
        flight at once: the goal's case) and with the default of 4 (the rest wait in the queue).
        The peak (``VmHWM``) is reset after the warm-up through ``/proc/<pid>/clear_refs``, so
        start-up and warm-up do not count; where that is refused, the sampled RSS maximum is used.
        """
        plan = self.plan
        self.api.noisy_images = True
        self.api.latency = plan.memory_latency
        out: dict[str, Any] = {}
        runs = [("bot_default_concurrency", self.bot, {**QUOTAS_ON, "PREVIEW_IMAGES": "0"}),
                ("floor", self.floor, {}),
                ("bot", self.bot, {**QUOTAS_ON, "PREVIEW_IMAGES": "0", "MAX_CONCURRENT_JOBS": str(plan.memory_jobs)})]
        try:
            for key, side, extra in runs:
                await self.start(side, extra, tag="-memory")
                started = read_status(side.proc.pid)
                await self.warm_up(side, big=True)
                idle = read_status(side.proc.pid)
                rounds = []
                spied = self.sampled(f"memory-{key}") if side is self.bot else contextlib.nullcontext()
                async with spied:
                    await self._memory_rounds(side, rounds)
                out[key] = {"start_rss_kib": started.get("VmRSS"), "idle_rss_kib": idle.get("VmRSS"),
                            "rounds": rounds, "peak_kib": max(r["peak_kib"] for r in rounds),
                            "group_peak_kib": max(r["group_peak_kib"] for r in rounds),
                            "all_posted_s": max(r["all_posted_s"] for r in rounds), "settings": extra}
                if side is self.floor or key == "bot_default_concurrency":
                    await self.stop(side)
        finally:
            self.api.noisy_images = False
            self.api.latency = 0.0
        self.results["memory"] = out
        self.log("  peak RSS (process / process group; all posted after): " + ", ".join(
            f"{k} {v['peak_kib'] / 1024:.0f} / {v['group_peak_kib'] / 1024:.0f} MB; {v['all_posted_s']:.1f} s"
            for k, v in out.items()))

    async def _memory_rounds(self, side: Side, rounds: list[dict[str, Any]]) -> None:
        """The memory scenario's rounds on one started, warmed-up side: a burst of large results each."""
        plan = self.plan
        for _ in range(plan.memory_rounds):
            settle()
            reset = reset_peak(side.proc.pid)
            await side.proc.window()
            samples: list[int] = []
            group: list[int] = []
            sampling = asyncio.create_task(self._sample_rss(side.proc.pid, samples, group))
            t0 = time.monotonic()
            inters = await side.generate(plan.memory_jobs, big=True, delay=plan.memory_latency)
            await side.wait_delivered(inters, 120 + 15 * plan.memory_jobs)
            all_posted = max(side.result_at[i.token] for i in inters) - t0
            sampling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampling
            window = await self.window(side, "memory")
            status = read_status(side.proc.pid)
            sampled = max(samples, default=0)
            rounds.append({"seconds": time.monotonic() - t0, "all_posted_s": all_posted,
                           "rss_max_sampled_kib": sampled,
                           "peak_kib": status.get("VmHWM", 0) if reset else sampled,
                           "peak_from": "VmHWM" if reset else "samples",
                           "group_peak_kib": max(group, default=0),
                           "rss_after_kib": status.get("VmRSS"), "max_lag_ms": window.get("max_lag_ms")})
            await asyncio.sleep(0.5)

    @staticmethod
    async def _sample_rss(pid: int, samples: list[int], group: list[int]) -> None:
        """Every 50 ms: the process's RSS into ``samples``, its process group's into ``group``.

        A group's peak is the largest sum seen (Linux keeps a peak per process only); the process
        leads its own group (``Proc.start``), so the group's id is its pid.
        """
        for _ in range(20 * 60 * 10):  # at most 10 minutes at 50 ms
            rss = read_status(pid).get("VmRSS")
            if rss is not None:
                samples.append(rss)
            total = await asyncio.to_thread(group_rss, pid)
            if total is not None:
                group.append(total)
            await asyncio.sleep(0.05)

    async def polling(self) -> None:
        """Figure 5: edits whose predictions last 5, 30 and 120 s; how late the bot notices."""
        plan = self.plan
        side = self.bot
        self.api.time_scale = plan.poll_time_scale
        self.api.latency = 0.0
        attachment = self.bot_dc.add_attachment(make_image(256, 256, seed=3, fmt="png"), "photo.png")
        lock = asyncio.Lock()
        prompts: dict[float, list[str]] = {}

        def submitted(wanted: list[str]) -> bool:
            have = {p.params.prompt for p in self.api.predictions.values()}
            return all(w in have for w in wanted)

        async def lane(duration: float, per_round: int, rounds: int) -> None:
            for number in range(rounds):
                async with lock:  # the fake's duration is global: one lane submits at a time
                    self.api.prediction_duration = duration
                    wanted = [f"bench poll {duration:g}s round {number} job {k}" for k in range(per_round)]
                    inters = [await side.edit(p, attachment) for p in wanted]
                    await wait_until(lambda w=wanted: submitted(w), 60, "edits to be submitted")
                prompts.setdefault(duration, []).extend(wanted)
                await side.wait_delivered(inters, duration * plan.poll_time_scale + 90)

        await side.proc.window()
        try:
            await asyncio.gather(*(lane(*spec) for spec in plan.poll_lanes))
        finally:
            self.api.time_scale = 1.0
        await self.window(side, "polling")
        by_prompt = {p.params.prompt: p for p in self.api.predictions.values()}
        out = {}
        for duration, wanted in prompts.items():
            delays, polls, rates = [], [], []
            for prompt in wanted:
                pred = by_prompt[prompt]
                if pred.completed_at is None or pred.completes_at is None:
                    raise BenchError(f"prediction {pred.id} was never seen completed")
                delay = pred.completed_at - pred.completes_at
                delays.append(delay)
                polls.append(pred.poll_count)
                rates.append(pred.poll_count / (pred.completed_at - pred.created_at) * 2)
            out[f"{duration:g}"] = {
                "duration_s": duration, "time_scale": plan.poll_time_scale, "jobs": len(wanted),
                "delays_s": delays, "polls": polls, "mean_delay_s": mean(delays), "max_delay_s": max(delays),
                "mean_polls": mean(polls), "polls_per_2s": mean(rates),
            }
        self.results["polling"] = out
        self.log("  polling: " + ", ".join(f"{k} s: delay {v['mean_delay_s']:.2f} s, "
                                           f"{v['polls_per_2s']:.2f} polls/2 s" for k, v in out.items()))

    @contextlib.asynccontextmanager
    async def harness_window(self, scenario: str):
        """Record this process's own loop stalls during a scenario."""
        settle()
        self.harness.dump()
        try:
            yield
        finally:
            self.results["windows"]["harness"][scenario] = [self.harness.dump()]

    @contextlib.asynccontextmanager
    async def sampled(self, scenario: str):
        """With ``--py-spy``, sample the bot process with py-spy while the scenario runs."""
        if self.spy_dir is None or self.bot.proc is None:
            yield
            return
        out = self.spy_dir / f"{scenario}.txt"
        spy = await asyncio.create_subprocess_exec(
            "py-spy", "record", "--pid", str(self.bot.proc.pid), "--rate", "250", "--format", "raw",
            "--threads", "--idle", "--output", str(out), "--duration", "900",
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        await asyncio.sleep(1.0)
        try:
            yield
        finally:
            spy.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(spy.wait(), 30)
            except TimeoutError:
                spy.kill()
                await spy.wait()

    # -- the whole run ------------------------------------------------------------------------

    async def run(self) -> dict[str, Any]:
        """Start the fakes, run the scenarios, stop everything; return the results."""
        t0 = time.monotonic()
        self.harness.start()
        await self.api.start()
        await self.bot_dc.start()
        await self.floor_dc.start()
        try:
            for side in (self.bot, self.floor):
                side.users.extend(side.dc.add_user(f"member{i}") for i in range(USERS))
            main_settings = {**QUOTAS_ON, "PREVIEW_IMAGES": "0"}
            phase_a = [s for s in ("first_answer", "overhead", "throughput") if s in self.scenarios]
            if phase_a:
                self.log("starting the bot and the floor")
                await asyncio.gather(self.start(self.bot, main_settings), self.start(self.floor))
                await self.warm_up(self.bot)
                await self.warm_up(self.floor)
                for name in phase_a:
                    self.log(f"scenario: {name}")
                    async with self.sampled(name), self.harness_window(name):
                        await getattr(self, name)()
                await self.stop(self.floor)
            if "memory" in self.scenarios:
                self.log("scenario: memory (fresh processes)")
                async with self.harness_window("memory"):
                    await self.memory()
            if "polling" in self.scenarios:
                self.log("scenario: polling")
                if self.bot.proc is None:
                    await self.start(self.bot, {**QUOTAS_ON, "PREVIEW_IMAGES": "0", "MAX_CONCURRENT_JOBS": "20"})
                async with self.sampled("polling"), self.harness_window("polling"):
                    await self.polling()
        finally:
            await self.stop(self.bot)
            await self.stop(self.floor)
            await self.floor_dc.close()
            await self.bot_dc.close()
            await self.api.close()
            self.harness.stop()
            await self._drop_postgres_databases()
        internal = self.bot_dc.internal_errors + self.floor_dc.internal_errors
        if internal:
            raise BenchError(f"the fake Discord failed internally: {internal[0]}")
        self.results["seconds"] = time.monotonic() - t0
        return self.results


# ----------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """What this ran on."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    versions = {}
    for dist in ("discord.py", "aiohttp", "aiosqlite", "pillow"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[dist] = metadata.version(dist)
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "commit": commit, "versions": versions}


def _max_stall(windows: dict[str, list[dict[str, Any]]], scenarios: Iterable[str] | None = None) -> float:
    values = [w.get("max_lag_ms", 0.0) for name, ws in windows.items() if scenarios is None or name in scenarios
              for w in ws]
    return max(values, default=float("nan"))


def _fmt(value: float, digits: int = 0) -> str:
    return "n/a" if value != value else f"{value:,.{digits}f}"


def _ratio(bot: float, floor: float) -> str:
    if bot != bot or floor != floor or floor <= 0:
        return "—"
    return f"{bot / floor:.2f}×"


def table(results: dict[str, Any], *, smoke: bool) -> tuple[str, list[tuple[str, bool]]]:
    """The markdown table of the figures, and (goal, met) pairs."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    goals: list[tuple[str, bool]] = []

    def row(figure: str, bot: str, floor: str, ratio: str, goal: str, met: bool | None) -> None:
        mark = "—" if met is None else ("met" if met else "**missed**")
        rows.append((figure, bot, floor, ratio, goal, mark))
        if met is not None:
            goals.append((figure, met))

    fa = results.get("first_answer")
    if fa:
        b, f = fa["bot"], fa["floor"]
        reps = f"median of {b.get('bursts', '?')} bursts of {b.get('burst', '?')}"
        row(f"1. first answer p50 (ms, {reps})", _fmt(b["p50_s"] * 1000), _fmt(f["p50_s"] * 1000),
            _ratio(b["p50_s"], f["p50_s"]), "", None)
        ratio = b["p99_s"] / f["p99_s"] if f["p99_s"] > 0 else float("inf")
        row(f"1. first answer p99 (ms, {reps})", _fmt(b["p99_s"] * 1000), _fmt(f["p99_s"] * 1000),
            _ratio(b["p99_s"], f["p99_s"]), "≤ 1.3× floor", ratio <= 1.3)
    oh = results.get("overhead")
    if oh:
        b, f = oh["bot"], oh["floor"]
        row("2. overhead per job p50 (ms)", _fmt(b["p50_s"] * 1000, 1), _fmt(f["p50_s"] * 1000, 1),
            _ratio(b["p50_s"], f["p50_s"]), "≤ 2.0× floor", b["p50_s"] <= 2.0 * f["p50_s"])
        row("2. overhead per job p99 (ms)", _fmt(b["p99_s"] * 1000, 1), _fmt(f["p99_s"] * 1000, 1),
            _ratio(b["p99_s"], f["p99_s"]), "", None)
    tp = results.get("throughput")
    if tp:
        b, f = tp["bot"], tp["floor"]
        row("3. throughput (jobs/s, median)", _fmt(b["median_jobs_per_s"], 1), _fmt(f["median_jobs_per_s"], 1),
            _ratio(b["median_jobs_per_s"], f["median_jobs_per_s"]), "≥ 0.5× floor",
            b["median_jobs_per_s"] >= 0.5 * f["median_jobs_per_s"])
        row("3. CPU per job (ms, median)", _fmt(b["median_cpu_ms_per_job"], 1), _fmt(f["median_cpu_ms_per_job"], 1),
            _ratio(b["median_cpu_ms_per_job"], f["median_cpu_ms_per_job"]), "", None)
    mem = results.get("memory")
    if mem:
        b, f = mem["bot"], mem["floor"]
        jobs = results.get("plan", {}).get("memory_jobs", "")
        row(f"4. peak RSS, {jobs} results in flight (MB)", _fmt(b["peak_kib"] / 1024), _fmt(f["peak_kib"] / 1024),
            _ratio(b["peak_kib"], f["peak_kib"]), "≤ 300 MB", b["peak_kib"] / 1024 <= 300)
        if "group_peak_kib" in b:
            row(f"4. … of the process group, {jobs} results in flight (MB)", _fmt(b["group_peak_kib"] / 1024),
                _fmt(f["group_peak_kib"] / 1024), _ratio(b["group_peak_kib"], f["group_peak_kib"]), "≤ 300 MB",
                b["group_peak_kib"] / 1024 <= 300)
        d = mem.get("bot_default_concurrency")
        if d:
            row(f"4. peak RSS, {jobs} jobs, default MAX_CONCURRENT_JOBS=4 (MB)", _fmt(d["peak_kib"] / 1024), "", "",
                "≤ 300 MB", d["peak_kib"] / 1024 <= 300)
            if "group_peak_kib" in d:
                row(f"4. … of the process group, {jobs} jobs, default MAX_CONCURRENT_JOBS=4 (MB)",
                    _fmt(d["group_peak_kib"] / 1024), "", "", "≤ 300 MB", d["group_peak_kib"] / 1024 <= 300)
            if "all_posted_s" in d:
                row(f"4. {jobs} concurrent 4K results: time until all are posted, default MAX_CONCURRENT_JOBS=4 "
                    "(s, slowest round)", _fmt(d["all_posted_s"], 1), _fmt(f["all_posted_s"], 1),
                    _ratio(d["all_posted_s"], f["all_posted_s"]), "≤ 30 s", d["all_posted_s"] <= 30)
        if "all_posted_s" in b:
            row(f"4. {jobs} concurrent 4K results: time until all are posted, MAX_CONCURRENT_JOBS={jobs} "
                "(s, slowest round)", _fmt(b["all_posted_s"], 1), _fmt(f["all_posted_s"], 1),
                _ratio(b["all_posted_s"], f["all_posted_s"]), "", None)
        row("4. RSS when idle, after one such job (MB)", _fmt(b["idle_rss_kib"] / 1024),
            _fmt(f["idle_rss_kib"] / 1024), _ratio(b["idle_rss_kib"], f["idle_rss_kib"]), "", None)
    polls = results.get("polling")
    if polls:
        for key, p in polls.items():
            scaled = "" if p["time_scale"] == 1 else f", scaled ×{p['time_scale']:g}"
            row(f"5. poll delay, {key} s prediction (s, mean of {p['jobs']}{scaled})", _fmt(p["mean_delay_s"], 2),
                "", "", "≤ 1.5 s", p["mean_delay_s"] <= 1.5)
            row(f"5. polls per 2 s, {key} s prediction ({p['mean_polls']:.1f} polls/job)", _fmt(p["polls_per_2s"], 2),
                "", "", "≤ 1", p["polls_per_2s"] <= 1.0)
    windows = results.get("windows", {})
    bot_w, floor_w, harness_w = windows.get("bot", {}), windows.get("floor", {}), windows.get("harness", {})
    if bot_w:
        b = _max_stall(bot_w)
        f = _max_stall(floor_w)
        row("6. largest loop stall (ms)", _fmt(b, 1), _fmt(f, 1), _ratio(b, f), "none > 50 ms", b <= 50)
        for name in SCENARIOS:
            if name in bot_w:
                row(f"6. … during {name} (ms)", _fmt(_max_stall(bot_w, [name]), 1),
                    _fmt(_max_stall(floor_w, [name]), 1) if name in floor_w else "", "", "", None)
        timed = ("first_answer", "overhead", "throughput")
        if any(name in harness_w for name in timed):
            row("6. (context) harness (the fakes' process): largest stall during 1–3 (ms)",
                _fmt(_max_stall(harness_w, timed), 1), "", "", "", None)
    last = "goal (not checked: smoke)" if smoke else "result"
    header = f"| figure | bot | floor | bot/floor | goal | {last} |"
    lines = [header, "| --- | ---: | ---: | ---: | --- | --- |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines), goals


# ----------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bench.run``."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true",
                        help="one small repetition of each scenario; no goal checked (CI)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated subset of {', '.join(SCENARIOS)}")
    parser.add_argument("--json", type=Path, help="where to write every sample (default bench/results/)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="run the bot under cProfile and write .prof files to DIR")
    parser.add_argument("--tracemalloc", type=Path, metavar="DIR",
                        help="trace the bot's Python allocations; write the sources at the peak to DIR")
    parser.add_argument("--py-spy", type=Path, metavar="DIR", dest="py_spy",
                        help="sample the bot with py-spy (if installed) during each scenario; raw stacks to DIR")
    parser.add_argument("--stall-stacks", action="store_true",
                        help="record the loop thread's stack during every stall over 40 ms")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, databases)")
    parser.add_argument("--postgres", metavar="URL",
                        help="run the bot on PostgreSQL: a fresh database on this server for each start "
                             "(e.g. postgresql://postgres@127.0.0.1:5432/test), dropped at the end")
    args = parser.parse_args(argv)
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    for option in ("profile", "tracemalloc", "py_spy"):
        folder = getattr(args, option)
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
            setattr(args, option, folder.resolve())
    plan = SMOKE if args.smoke else FULL

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    bench = Bench(plan, smoke=args.smoke, workdir=workdir, scenarios=scenarios, profile_dir=args.profile,
                  trace_dir=args.tracemalloc, spy_dir=args.py_spy, stall_stacks=args.stall_stacks,
                  postgres=args.postgres, log=log)
    log(f"benchmark ({'smoke' if args.smoke else 'full'}); work directory {workdir}")
    try:
        results = asyncio.run(bench.run())
    except BenchError as error:
        log(f"BENCHMARK BROKEN: {error}\n(logs kept in {workdir})")
        return 1
    except KeyboardInterrupt:
        log(f"interrupted (logs kept in {workdir})")
        return 130
    results["machine"] = machine()
    results["mode"] = "smoke" if args.smoke else "full"
    results["database"] = "PostgreSQL" if args.postgres else "SQLite"
    results["plan"] = asdict(plan)
    text, goals = table(results, smoke=args.smoke)
    m = results["machine"]
    print(f"\n{m['cpus']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}, commit {m['commit']}, "
          f"bot on {results['database']}, {results['mode']} run in {time.monotonic() - started:.0f} s\n")
    print(text)
    if not args.smoke:
        missed = [name for name, met in goals if not met]
        summary = f"\n{len(goals) - len(missed)} of {len(goals)} goals met"
        print(summary + (f"; missed: {', '.join(missed)}" if missed else ""))
    out = args.json or ROOT / "bench" / "results" / f"{results['mode']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"\nall samples: {out}")
    if not args.keep:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"logs and databases: {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
