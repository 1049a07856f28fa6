"""``python -m bot migrate-db --to postgresql://…``: a SQLite database made by the current release,
with rows in every table, copied into an empty PostgreSQL database, counted and compared."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import Database, JobState, Limits, OverrideScope, ReplyTarget
from bot.storage.audit import AuditEntry
from bot.storage.base import TABLES
from bot.storage.intake import Intake
from bot.storage.quotas import BudgetPeriod
from bot.storage.schema import load_migrations
from tests.e2e.test_cli import run_cli

RELEASE_SCHEMA = 5
"""The schema version of the release before PostgreSQL (0005_intake_and_notices)."""
GUILD = 1_000_000_000_000_001
USER = 2**63 - 7
PASSWORD = "migrate-Canary-Pw0rd"


def release_migrations(to: Path) -> Path:
    """The SQLite migrations of the release that admins will migrate from."""
    to.mkdir()
    for migration in load_migrations(dialect="sqlite"):
        if migration.version <= RELEASE_SCHEMA:
            (to / f"{migration.version:04d}_{migration.name}.sql").write_text(migration.sql)
    return to


async def make_release_database(path: Path, folder: Path) -> None:
    """A SQLite file of the release, through its stores, with rows in every table."""
    limits = Limits(user_daily=None, guild_daily=None, max_jobs_per_user=100)
    async with await Database.open(path, migrations_dir=folder, limits=limits) as db:
        assert db.schema_version == RELEASE_SCHEMA
        reply = ReplyTarget(channel_id=3, application_id=4, interaction_id=5, token="tok", created_at=1.5,
                            role_ids=(7,))
        options = ImageOptions(model="gpt-image-1", prompt="a lighthouse", n=2)
        jobs = [await db.quotas.reserve(kind=JobKind.GENERATE, user_id=USER, guild_id=GUILD, options=options,
                                        reply=reply) for _ in range(5)]
        await db.jobs.finish(jobs[0].id, delivered=2, cost_micros=12_345, result_message_ids=[2**62])
        await db.jobs.fail(jobs[1].id, error="boom", notice="No image this time.")
        await db.jobs.mark_submitted(jobs[2].id, "pred-1")
        await db.jobs.fail(jobs[3].id, error="cancelled", state=JobState.CANCELLED)
        await db.intake.add(Intake(job_id="in-1", kind=JobKind.EDIT, user_id=USER, guild_id=None,
                                   options=options, reply=reply, parent_job_id=jobs[0].id, created_at=2.5))
        await db.quotas.set_override(GUILD, OverrideScope.MEMBER, USER, 9, set_by=1)
        await db.quotas.set_override(GUILD, OverrideScope.SERVER_TOTAL, None, 90, set_by=1)
        await db.quotas.set_budget(GUILD, OverrideScope.SERVER_TOTAL, None, 30_000_000, 1, BudgetPeriod.MONTH)
        await db.settings.update(GUILD, by=1, default_model="gpt-image-2", log_channel_id=8, previews=True)
        await db.settings.add_terms(GUILD, ["nsfw", "red panda"], by=1)
        await db.audit.record(AuditEntry(job_id=jobs[0].id, guild_id=GUILD, log_channel_id=8, state="pending",
                                         outcome="delivered", detail=None, payload={"prompt": "a lighthouse"}))
        await db.meta.set("commands_hash", "guild:1:abc")


async def rows_of(db: Database, table: str, columns: list[str]) -> list[tuple]:
    """A table's rows, in a fixed order, as tuples of ``columns``."""
    rows = await db.fetchall(f"SELECT * FROM {table}")
    return sorted((tuple(r[c] for c in columns) for r in rows), key=repr)


async def test_migrate_db_copies_every_table_of_a_release_database(tmp_path: Path, postgres_url: str) -> None:
    """Every row of every table arrives unchanged; the counts are printed; a second run is refused."""
    sqlite_path = tmp_path / "data" / "bot.db"
    await make_release_database(sqlite_path, release_migrations(tmp_path / "release"))
    backup = tmp_path / "before.db"
    shutil.copy(sqlite_path, backup)
    target = postgres_url.replace("postgres@", f"postgres:{PASSWORD}@")
    env = {"DISCORD_TOKEN": "x" * 30, "GPTPROTO_API_KEY": "sk-" + "y" * 30,
           "DATABASE_URL": f"sqlite:///{sqlite_path}", "HOME": os.environ.get("HOME", "/tmp")}

    code, out = await run_cli("migrate-db", "--to", target, env=env, cwd=tmp_path)
    assert code == 0, out
    assert PASSWORD not in out
    for table in TABLES:
        line = next(x for x in out.splitlines() if x.strip().startswith(table + " "))
        source_count, target_count = line.split()[1:3]
        assert source_count == target_count != "0", line
    assert "[ok]" in out and "every table has the same count" in out

    async with await Database.open(f"sqlite:///{sqlite_path}") as source, await Database.open(postgres_url) as copy:
        for table in TABLES:
            columns = list((await source.fetchall(f"SELECT * FROM {table} LIMIT 1"))[0].keys())
            assert await rows_of(copy, table, columns) == await rows_of(source, table, columns), table
        # Oldest first keeps its order, and a new job continues after the copied ones.
        assert [j.id for j in await copy.jobs.list_active()] == [j.id for j in await source.jobs.list_active()]
        (untold,) = await copy.jobs.list_untold()
        assert untold.notice == "No image this time." and untold.user_id == USER
        new = await copy.quotas.reserve(kind=JobKind.GENERATE, user_id=1, guild_id=GUILD,
                                        options=ImageOptions(model="gpt-image-1", prompt="x"),
                                        reply=ReplyTarget(channel_id=3))
        rowids = {r["id"]: r["rowid"] for r in await copy.fetchall("SELECT id, rowid FROM jobs")}
        assert rowids[new.id] == max(rowids.values())
        assert [t.term for t in await copy.settings.terms(GUILD)] == ["nsfw", "red panda"]

    code, out = await run_cli("migrate-db", "--to", target, env=env, cwd=tmp_path)
    assert code == 1, out
    assert "is not empty (jobs: 6" in out and "nothing was copied" in out and PASSWORD not in out


async def test_migrate_db_refuses_what_it_cannot_copy(tmp_path: Path) -> None:
    """No --to, a --to that is not PostgreSQL, a missing SQLite file: one clear line each, no password."""
    env = {"DISCORD_TOKEN": "x" * 30, "GPTPROTO_API_KEY": "sk-" + "y" * 30,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}"}
    code, out = await run_cli("migrate-db", env=env, cwd=tmp_path)
    assert code == 2 and "migrate-db needs --to URL" in out
    code, out = await run_cli("migrate-db", "--to", "sqlite:///other.db", env=env, cwd=tmp_path)
    assert code == 2 and "--to must be postgresql://" in out
    code, out = await run_cli("migrate-db", "--to", f"postgresql://u:{PASSWORD}@/db", env=env, cwd=tmp_path)
    assert code == 2 and "names no host" in out and PASSWORD not in out
    code, out = await run_cli("migrate-db", "--to", f"postgresql://u:{PASSWORD}@127.0.0.1:1/db", env=env,
                              cwd=tmp_path)
    assert code == 1 and "there is no SQLite file" in out and not (tmp_path / "missing.db").exists()
