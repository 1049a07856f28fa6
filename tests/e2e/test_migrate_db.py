"""``python -m bot migrate-db --to postgresql://…``: a SQLite database made by the current release,
with rows in every table, copied into an empty PostgreSQL database, counted and compared."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from bot.gptproto.registry import ImageOptions, JobKind
from bot.storage import Database, OverrideScope, ReplyTarget
from bot.storage.audit import AuditEntry
from bot.storage.base import TABLES
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


RELEASE_JOB_COLUMNS = (
    "id, kind, state, user_id, guild_id, channel_id, application_id, interaction_id, interaction_token, "
    "interaction_created_at, request, model, images_requested, images_reserved, images_delivered, "
    "prediction_id, message_id, result_message_ids, input_tokens, output_tokens, total_tokens, error, "
    "quota_day, created_at, started_at, finished_at, parent_job_id, progress_message_id, "
    "cost_estimate_micros, cost_micros, cost_basis, text_input_tokens, image_input_tokens, notice")
"""The columns of ``jobs`` at the release's schema (version 5): what its stores wrote."""


def release_job(number: int, state: str, **values: object) -> tuple:
    """A row of ``jobs`` as the release stored it."""
    request = json.dumps({**ImageOptions(model="gpt-image-1", prompt=f"lighthouse {number}", n=2).to_dict(),
                          "ctx": {"upload_limit": 10485760, "role_ids": [7]}})
    row = {"id": f"job{number:02d}", "kind": "generate", "state": state, "user_id": USER, "guild_id": GUILD,
           "channel_id": 3, "application_id": 4, "interaction_id": 5 + number, "interaction_token": "tok",
           "interaction_created_at": 1.5, "request": request, "model": "gpt-image-1", "images_requested": 2,
           "images_reserved": 2, "images_delivered": 0, "prediction_id": None, "message_id": None,
           "result_message_ids": "[]", "input_tokens": 0, "output_tokens": 0, "total_tokens": 0, "error": None,
           "quota_day": "2026-03-14", "created_at": 1000.0 + number, "started_at": None, "finished_at": None,
           "parent_job_id": None, "progress_message_id": None, "cost_estimate_micros": 90_000,
           "cost_micros": 90_000, "cost_basis": None, "text_input_tokens": 0, "image_input_tokens": 0,
           "notice": None, **values}
    return tuple(row[c.strip()] for c in RELEASE_JOB_COLUMNS.split(","))


async def make_release_database(path: Path, folder: Path) -> None:
    """A SQLite file of the release, with rows in every table: the jobs and the request in flight
    as its stores wrote them (its INSERTs), the rest through the stores, whose SQL is unchanged."""
    async with await Database.open(path, migrations_dir=folder) as db:
        assert db.schema_version == RELEASE_SCHEMA
        jobs = [
            release_job(1, "done", images_delivered=2, cost_micros=12_345, cost_basis="usage",
                        result_message_ids=json.dumps([2**62]), message_id=2**62, interaction_token=None,
                        finished_at=1100.5),
            release_job(2, "failed", images_reserved=0, cost_micros=0, error="boom",
                        notice="No image this time.", finished_at=1101.0),
            release_job(3, "submitted", prediction_id="pred-1", started_at=1003.5),
            release_job(4, "cancelled", images_reserved=0, cost_micros=0, error="cancelled by 1",
                        interaction_token=None, finished_at=1104.0),
            release_job(5, "queued", progress_message_id=77),
        ]
        async with db.write() as conn:
            marks = ", ".join("?" for _ in RELEASE_JOB_COLUMNS.split(","))
            await conn.executemany(f"INSERT INTO jobs ({RELEASE_JOB_COLUMNS}) VALUES ({marks})", jobs)
            await conn.execute(
                "INSERT INTO intake (job_id, kind, user_id, guild_id, channel_id, application_id, interaction_id, "
                "interaction_token, interaction_created_at, request, parent_job_id, created_at) "
                "VALUES ('in-1', 'edit', ?, NULL, 3, 4, 99, 'tok', 2.5, ?, 'job01', 2.5)",
                (USER, jobs[0][10]))
        await db.quotas.set_override(GUILD, OverrideScope.MEMBER, USER, 9, set_by=1)
        await db.quotas.set_override(GUILD, OverrideScope.SERVER_TOTAL, None, 90, set_by=1)
        await db.quotas.set_budget(GUILD, OverrideScope.SERVER_TOTAL, None, 30_000_000, 1, BudgetPeriod.MONTH)
        await db.settings.update(GUILD, by=1, default_model="gpt-image-2", log_channel_id=8, previews=True)
        await db.settings.add_terms(GUILD, ["nsfw", "red panda"], by=1)
        await db.audit.record(AuditEntry(job_id="job01", guild_id=GUILD, log_channel_id=8, state="pending",
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
        # The servers' totals per day are not copied: the copy's triggers made them from its jobs.
        totals = ("SELECT guild_id, quota_day, images, cost_micros FROM usage_days "
                  "WHERE images <> 0 OR cost_micros <> 0 ORDER BY guild_id, quota_day")
        assert [tuple(r) for r in await copy.fetchall(totals)] == [tuple(r) for r in await source.fetchall(totals)]
        assert await copy.fetchall(totals), "the release database has jobs in a server"
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
