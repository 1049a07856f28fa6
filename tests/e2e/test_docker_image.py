"""The Docker image, reproduced without Docker: no engine runs here and no registry can be pulled.

What the Dockerfile does, step by step, and how this test does the same offline:

1. ``pip install --require-hashes -r requirements.lock``: the test runs this very command, with
   ``--no-index``, into a fresh virtual environment that holds only the locked distributions,
   copied file by file from the environment the tests run in (a test must not download: tests
   talk to 127.0.0.1 only). pip then finds every pin already satisfied, or fails. So the lock
   is complete (nothing the bot imports is missing: the new environment has nothing else) and
   pins exactly the versions the tests ran against.
2. ``pip install --no-deps /tmp/src`` from a copy of pyproject.toml, README.md, bot/ and cogs/
   (the Dockerfile's COPY lines): the test builds that copy into a wheel with the local
   setuptools (an isolated build would download setuptools) and installs it ``--no-deps``.
3. ``USER bot``, ``WORKDIR /app``, the ``/data`` volume, ``ENV``: the bot runs as an
   unprivileged user (uid 65534 when the test runs as root), in an empty working directory it
   cannot write to (so ``python -m bot`` imports the installed package, not a source tree), with
   its database in a ``data`` folder that user owns, and with the Dockerfile's ``ENV`` values.
4. ``HEALTHCHECK CMD python -m bot health``: answers 0 while the bot runs, 1 once it stopped.
5. ``docker stop`` (SIGTERM): the bot exits 0.

Marked ``docker_image`` so that ``-m "not docker_image"`` skips it locally; CI runs everything.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import API_KEY, DISCORD_TOKEN
from tests.e2e.test_process_kill import wait_until

ROOT = Path(__file__).resolve().parents[2]
UNPRIVILEGED = 65534  # "nobody"; the image's own user is 10001, any non-root uid proves the same
SETPRIV = shutil.which("setpriv")


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def dockerfile_env() -> dict[str, str]:
    """The ``ENV`` of the Dockerfile (``KEY=value`` pairs, continued lines joined)."""
    text = dockerfile().replace("\\\n", " ")
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            found.update(pair.split("=", 1) for pair in line[4:].split())
    return found


def locked() -> dict[str, str]:
    """``{distribution name: version}`` from requirements.lock."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", (ROOT / "requirements.lock").read_text(), re.M)
    return dict(pins)


def test_the_dockerfile_and_compose_say_what_the_reproduction_assumes():
    """The image installs from the lock, runs as non-root, serves metrics on 0.0.0.0, checks health; Compose agrees."""
    text = dockerfile()
    assert "pip install --require-hashes -r /tmp/requirements.lock" in text
    assert "pip install --no-deps /tmp/src" in text
    assert re.search(r"^USER bot$", text, re.M) and re.search(r"^WORKDIR /app$", text, re.M)
    assert 'CMD ["python", "-m", "bot", "health"]' in text and text.count("HEALTHCHECK") == 1
    env = dockerfile_env()
    assert env["METRICS_HOST"] == "0.0.0.0" and env["DATABASE_URL"] == "sqlite:////data/bot.db"
    port = env["METRICS_PORT"]
    assert f"EXPOSE {port}" in text
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "env_file: .env" in compose and "bot-data:/data" in compose
    assert f'METRICS_PORT: "{port}"' in compose and f"127.0.0.1:{port}:{port}" in compose
    assert 'profiles: ["metrics"]' in compose and "./deploy/prometheus.yml:" in compose
    assert f'targets: ["bot:{port}"]' in (ROOT / "deploy" / "prometheus.yml").read_text()
    pins = locked()
    for name in ("discord-py", "aiohttp", "aiosqlite", "pillow", "python-dotenv", "prometheus-client"):
        assert name in pins, f"{name} is not in requirements.lock"
    assert all(line.strip().startswith(("--hash=sha256:", "#")) or "==" in line or not line.strip()
               for line in (ROOT / "requirements.lock").read_text().splitlines()), "every pin has hashes"


def as_unprivileged() -> list[str]:
    """The command prefix that runs a program as the unprivileged user (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    return [SETPRIV, f"--reuid={UNPRIVILEGED}", f"--regid={UNPRIVILEGED}", "--clear-groups", "--"]


def interpreter_for_unprivileged() -> str | None:
    """A Python of this minor version that the unprivileged user can run with its standard library.

    The test's own interpreter may live where that user cannot read (a pyenv under /root); a
    system Python of the same minor version runs the same wheels (same ABI).
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    base = getattr(sys, "_base_executable", sys.executable)
    candidates = [os.path.realpath(base), f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]
    probe = ("import sys, sqlite3, ssl, venv; "
             f"assert sys.version_info[:2] == ({sys.version_info.major}, {sys.version_info.minor}); "
             "print(sys.prefix, sys.exec_prefix)")

    def prefixes(candidate: str, prefix: list[str]) -> str | None:
        result = subprocess.run([*prefix, candidate, "-c", probe], capture_output=True, text=True, timeout=30,
                                env={"PATH": "/usr/bin:/bin"}, check=False)
        return result.stdout.strip() if result.returncode == 0 else None

    for candidate in dict.fromkeys(candidates):
        if not os.path.exists(candidate):
            continue
        # A Python that cannot read its own installation falls back to another prefix (or fails).
        found = prefixes(candidate, as_unprivileged())
        if found is not None and found == prefixes(candidate, []):
            return candidate
    return None


def clean_env(**extra: str) -> dict[str, str]:
    """An environment like a container's: no PYTHONPATH, no pip configuration of this machine."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PIP_CONFIG_FILE": os.devnull, **extra}


def run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess:
    """Run a set-up step; fail the test with its output if it fails."""
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=120, check=False,
                            **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}"
    return result


def copy_locked_distributions(site_packages: Path) -> None:
    """Copy each locked distribution, at its locked version, from this environment into ``site_packages``."""
    for name, version in locked().items():
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"requirements.lock pins {name}=={version}, which the tests' environment lacks; "
                        "install the lock: pip install --require-hashes -r requirements.lock")
        assert dist.version == version, (
            f"requirements.lock pins {name}=={version} but the tests ran with {dist.version}; "
            "refresh the lock (see the README) or install it")
        origin = Path(str(dist.locate_file("")))
        for file in dist.files or ():
            if ".." in file.parts or file.suffix == ".pyc":
                continue  # console scripts outside site-packages; bytecode is rebuilt
            target = site_packages / file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin / file, target)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def image() -> Iterator[dict[str, Path]]:
    """The image's file system, laid out in a world-readable temporary folder."""
    if sys.platform != "linux":
        pytest.skip("reproduces a Linux container")
    if os.geteuid() == 0 and SETPRIV is None:
        pytest.skip("running as root without setpriv (util-linux): cannot run the bot as a non-root user")
    python = interpreter_for_unprivileged()
    if python is None:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that uid {UNPRIVILEGED} "
                    "can run with its standard library")
    top = Path(tempfile.mkdtemp(prefix="image-"))
    top.chmod(0o755)
    venv, src, app, data, wheels = (top / name for name in ("venv", "src", "app", "data", "wheels"))
    try:
        run(python, "-m", "venv", "--without-pip", venv, env=clean_env())
        (site_packages,) = (venv / "lib").glob("python3*/site-packages")
        copy_locked_distributions(site_packages)
        pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
        # Dockerfile: RUN pip install --require-hashes -r /tmp/requirements.lock
        run(*pip, "install", "--no-index", "--require-hashes", "-r", ROOT / "requirements.lock", env=clean_env())
        # Dockerfile: COPY pyproject.toml README.md bot cogs /tmp/src/ ; RUN pip install --no-deps /tmp/src
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)
        for name in ("bot", "cogs"):
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        run(sys.executable, "-m", "pip", "wheel", "--no-index", "--no-deps", "--no-build-isolation",
            "--wheel-dir", wheels, src, env=clean_env(), cwd=top)
        (wheel,) = wheels.glob("*.whl")
        run(*pip, "install", "--no-index", "--no-deps", wheel, env=clean_env())
        run(*pip, "check", env=clean_env())
        shutil.rmtree(src)
        where = run(venv / "bin" / "python", "-c", "import bot.__main__, cogs.edit; print(bot.__file__)",
                    env=clean_env(), cwd=top).stdout.strip()
        assert Path(where).is_relative_to(site_packages), f"the bot imports from {where}, not the installed copy"
        # Dockerfile: WORKDIR /app (not writable by the bot's user), /data owned by it.
        app.mkdir()
        data.mkdir()
        for path in (venv, *venv.rglob("*")):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else path.stat().st_mode | 0o444)
        if os.geteuid() == 0:
            os.chown(data, UNPRIVILEGED, UNPRIVILEGED)
        yield {"venv": venv, "app": app, "data": data}
    finally:
        shutil.rmtree(top, ignore_errors=True)


def uid_of(pid: int) -> int:
    """The real uid of a running process."""
    (line,) = [line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Uid:")]
    return int(line.split()[1])


async def run_in_image(image: dict[str, Path], *args: str, env: dict[str, str]) -> tuple[int, str]:
    """``python -m bot ARGS`` as the image's user would run it; exit code and output."""
    process = await asyncio.create_subprocess_exec(
        *as_unprivileged(), str(image["venv"] / "bin" / "python"), "-m", "bot", *args, cwd=image["app"], env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode, out.decode()


@pytest.mark.docker_image
async def test_the_image_runs_as_non_root_serves_health_and_stops_cleanly(image, discord_fake, gptproto):
    """Installed as the Dockerfile installs, run as non-root on its data folder: health 0, SIGTERM exits 0, health 1."""
    started = time.monotonic()
    port = free_port()
    database = image["data"] / "bot.db"
    env = clean_env(**{**dockerfile_env(),
        "HOME": str(image["app"]),
        "DISCORD_TOKEN": DISCORD_TOKEN,
        "GPTPROTO_API_KEY": API_KEY,
        "GPTPROTO_BASE_URL": gptproto.base_url,
        "DISCORD_API_BASE_URL": discord_fake.rest_url,
        "DISCORD_GATEWAY_URL": discord_fake.gateway_url,
        "DEV_GUILD_ID": str(discord_fake.guild_id),
        "DATABASE_URL": f"sqlite:///{database}",  # the image's /data volume
        "METRICS_PORT": str(port),
        "LOG_FORMAT": "json",
    })
    # The image binds 0.0.0.0; here the bot listens on 127.0.0.1 only (tests stay on the loopback),
    # while `health` keeps the image's METRICS_HOST=0.0.0.0 and so must ask 127.0.0.1 itself.
    bot_env = {**env, "METRICS_HOST": "127.0.0.1"}
    assert env["METRICS_HOST"] == "0.0.0.0"

    bot = await asyncio.create_subprocess_exec(
        *as_unprivileged(), str(image["venv"] / "bin" / "python"), "-m", "bot", cwd=image["app"], env=bot_env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL)
    output = asyncio.create_task(bot.stdout.read())  # type: ignore[union-attr]
    try:
        await discord_fake.wait_ready(timeout=30)
        await wait_until(lambda: discord_fake.guild_id in discord_fake.synced_commands, 20, "command sync")
        # Like Docker during the start period: ask until healthy (ready comes ~2 s after the gateway's READY).
        deadline = time.monotonic() + 20
        while True:
            code, said = await run_in_image(image, "health", env=env)
            if code == 0 or time.monotonic() > deadline:
                break
            assert said.strip() == "unhealthy: connecting to the Discord gateway", said
            await asyncio.sleep(0.2)
        assert (code, said.split(":")[0]) == (0, "ok"), said
        expected = UNPRIVILEGED if os.geteuid() == 0 else os.getuid()
        assert uid_of(bot.pid) == expected, "the bot runs as the unprivileged user"
        if os.geteuid() == 0:
            assert database.stat().st_uid == UNPRIVILEGED, "the database belongs to the bot's user"
        assert list(image["app"].iterdir()) == [], "nothing is written outside the data folder"

        bot.send_signal(signal.SIGTERM)  # docker stop
        await asyncio.wait_for(bot.wait(), 10)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    log = (await output).decode()
    assert bot.returncode == 0, log
    code, said = await run_in_image(image, "health", env=env)
    assert code == 1 and said.startswith(f"unhealthy: nothing answers at http://127.0.0.1:{port}/healthz"), said
    assert len(said.strip().splitlines()) == 1

    lines = [json.loads(line) for line in log.splitlines()]  # LOG_FORMAT=json: every line parses
    messages = [line["message"] for line in lines]
    assert any(m.startswith("Metrics on http://127.0.0.1:") for m in messages)
    assert "SIGTERM received: stopping" in messages and messages[-1] == "Stopped; the database is closed"
    assert API_KEY not in log and DISCORD_TOKEN not in log
    assert time.monotonic() - started < 60
