"""The command line as an admin uses it: ``python -m bot sync`` and start-up configuration errors."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.e2e.conftest import DISCORD_TOKEN, has_files, wait_refusal

ROOT = Path(__file__).resolve().parents[2]


async def run_cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run ``python -m bot ARGS`` in ``cwd`` with only ``env`` (plus PATH); return code and output."""
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env={**base, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL)
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode()


async def test_sync_pushes_the_commands_to_the_dev_guild(discord_fake, gptproto, tmp_path):
    """`python -m bot sync` pushes /generate, /edit, /quota, /usage and the message menu, with their
    translations, then exits 0."""
    env = {
        "DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": gptproto.api_key,
        "GPTPROTO_BASE_URL": gptproto.base_url, "DISCORD_API_BASE_URL": discord_fake.rest_url,
        "DISCORD_GATEWAY_URL": discord_fake.gateway_url, "DEV_GUILD_ID": str(discord_fake.guild_id),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
    }
    code, out = await run_cli("sync", env=env, cwd=tmp_path)
    assert code == 0, out
    assert f"Pushed 8 commands to server {discord_fake.guild_id}." in out
    names = {c["name"] for c in discord_fake.synced_commands[discord_fake.guild_id]}
    assert names == {"generate", "edit", "quota", "usage", "Edit image", "settings", "blocklist", "jobs"}
    # The tree's translator runs for `sync` too: every command carries its translations.
    for command in discord_fake.synced_commands[discord_fake.guild_id]:
        assert command["name_localizations"], command["name"]
        if command["type"] == 1:
            assert command["description_localizations"], command["name"]
    assert DISCORD_TOKEN not in out


async def test_bad_configuration_stops_with_one_line_per_variable(tmp_path):
    """A broken .env stops the bot at start with one line per problem, naming each variable, no secret."""
    (tmp_path / ".env").write_text(
        "DISCORD_TOKEN=tok-secret-value-123456\nGPTPROTO_API_KEY=\nMAX_CONCURRENT_JOBS=many\n"
        "DATABASE_URL=postgres://x\nDEFAULT_MODEL=dall-e-9\n")
    code, out = await run_cli(env={}, cwd=tmp_path)
    assert code == 2
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("- ")]
    assert [line.split()[1] for line in lines] == [
        "GPTPROTO_API_KEY", "DATABASE_URL", "DEFAULT_MODEL", "MAX_CONCURRENT_JOBS"]
    assert "tok-secret-value-123456" not in out


async def test_generate_in_direct_messages_uses_a_personal_limit(start_bot, discord_fake, gptproto):
    """In DMs a member has a personal daily limit, counted apart from any server."""
    # Commands synced to one server don't exist in DMs (as on Discord): push them globally.
    running = await start_bot(USER_DAILY_IMAGES="1", DEV_GUILD_ID="")
    dm = await discord_fake.slash("generate", {"prompt": "just for me"}, guild_id=None)
    await dm.wait_for(has_files, timeout=15)
    again = await discord_fake.slash("generate", {"prompt": "again"}, guild_id=None)
    assert "your personal daily limit" in await wait_refusal(again)
    in_server = await discord_fake.slash("generate", {"prompt": "in the server"})
    await in_server.wait_for(has_files, timeout=15)
    rows = await running.db.fetchall("SELECT guild_id FROM jobs ORDER BY created_at")
    assert [r["guild_id"] for r in rows] == [None, discord_fake.guild_id]


PG_PASSWORD = "pg-Canary-Passw0rd"


async def test_check_reports_the_postgresql_backend_without_the_password(discord_fake, gptproto, tmp_path,
                                                                         postgres_url):
    """`python -m bot check` on PostgreSQL names the backend, server and schema, never the password."""
    url = postgres_url.replace("postgres@", f"postgres:{PG_PASSWORD}@")
    env = {
        "DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": gptproto.api_key,
        "GPTPROTO_BASE_URL": gptproto.base_url, "DISCORD_API_BASE_URL": discord_fake.rest_url,
        "DATABASE_URL": url, "LOG_LEVEL": "DEBUG",
    }
    code, out = await run_cli("check", env=env, cwd=tmp_path)
    assert code == 0, out
    line = next(x for x in out.splitlines() if x.startswith("[ok] database:"))
    assert "PostgreSQL postgresql://postgres:***@127.0.0.1:5432/" in line and "schema version" in line
    assert PG_PASSWORD not in out


async def test_check_fails_on_an_unreachable_postgresql_without_the_password(discord_fake, gptproto, tmp_path):
    """An unreachable PostgreSQL server is one [FAIL] line naming the URL with *** for its password."""
    env = {
        "DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": gptproto.api_key,
        "GPTPROTO_BASE_URL": gptproto.base_url, "DISCORD_API_BASE_URL": discord_fake.rest_url,
        "DATABASE_URL": f"postgresql://bot:{PG_PASSWORD}@127.0.0.1:1/imagebot", "LOG_LEVEL": "DEBUG",
    }
    code, out = await run_cli("check", env=env, cwd=tmp_path)
    assert code == 1, out
    assert "[FAIL] database: cannot open postgresql://bot:***@127.0.0.1:1/imagebot" in out
    assert PG_PASSWORD not in out


async def test_a_running_bot_never_logs_the_database_password(discord_fake, gptproto, tmp_path, postgres_url):
    """`python -m bot` on PostgreSQL at DEBUG: its whole log holds no trace of the password."""
    url = postgres_url.replace("postgres@", f"postgres:{PG_PASSWORD}@")
    env = {
        "DISCORD_TOKEN": DISCORD_TOKEN, "GPTPROTO_API_KEY": gptproto.api_key,
        "GPTPROTO_BASE_URL": gptproto.base_url, "DISCORD_API_BASE_URL": discord_fake.rest_url,
        "DISCORD_GATEWAY_URL": discord_fake.gateway_url, "DEV_GUILD_ID": str(discord_fake.guild_id),
        "DATABASE_URL": url, "LOG_LEVEL": "DEBUG",
    }
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env={**base, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL)
    try:
        await discord_fake.wait_ready(timeout=20)
        interaction = await discord_fake.slash("generate", {"prompt": "a lighthouse"})
        await interaction.wait_for(has_files, timeout=20)
    finally:
        process.terminate()
        out, _ = await asyncio.wait_for(process.communicate(), 20)
    text = out.decode()
    assert "Opened database postgresql://postgres:***@127.0.0.1" in text
    assert PG_PASSWORD not in text and DISCORD_TOKEN not in text
