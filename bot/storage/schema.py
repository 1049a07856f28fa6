"""Numbered schema migrations, one folder per database: ``migrations/sqlite/0001_initial.sql`` …
and ``migrations/postgresql/0001_initial.sql`` …, with the same numbers and names in both, so a
database of either kind at version N has the same tables and columns.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_MIGRATION_NAME = re.compile(r"^(\d{4})_([A-Za-z0-9_]+)\.sql$")
DIALECTS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Migration:
    """One numbered ``.sql`` file of schema changes."""

    version: int
    name: str
    sql: str


def load_migrations(folder: Path | None = None, *, dialect: str = "sqlite") -> list[Migration]:
    """Read the numbered migrations (``0001_initial.sql`` …) in version order.

    ``folder`` replaces the packaged ``migrations/<dialect>/`` folder (tests only).
    """
    if dialect not in DIALECTS:
        raise ValueError(f"no migrations for {dialect!r}")
    if folder is None:
        files = [
            (entry.name, entry.read_text(encoding="utf-8"))
            for entry in (resources.files("bot.storage") / "migrations" / dialect).iterdir()
            if entry.name.endswith(".sql")
        ]
    else:
        files = [(p.name, p.read_text(encoding="utf-8")) for p in folder.glob("*.sql")]
    migrations: dict[int, Migration] = {}
    for filename, sql in files:
        match = _MIGRATION_NAME.match(filename)
        if match is None:
            raise RuntimeError(f"migration file {filename!r} is not named like 0001_name.sql")
        version = int(match.group(1))
        if version in migrations:
            raise RuntimeError(
                f"two migrations share version {version}: {migrations[version].name!r} and {match.group(2)!r}"
            )
        migrations[version] = Migration(version, match.group(2), sql)
    return [migrations[v] for v in sorted(migrations)]


def split_statements(script: str) -> list[str]:
    """Split a SQL script into single statements (both drivers execute one at a time).

    ``executescript`` would do it for SQLite, but it commits any open transaction first, and each
    migration must run inside its own. The migrations of both databases use no dollar-quoted
    bodies, so SQLite's own test for a complete statement splits PostgreSQL's scripts too.
    """
    statements: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            text = buffer.strip()
            if _has_code(text):
                statements.append(text)
            buffer = ""
    if _has_code(buffer.rstrip(";")):
        raise RuntimeError(f"migration ends with an incomplete statement: {buffer.strip()[:80]!r}")
    return statements


def _has_code(text: str) -> bool:
    """Whether a chunk of SQL holds anything but comments, whitespace and semicolons."""
    for line in text.splitlines():
        code = line.split("--", 1)[0].strip().strip(";").strip()
        if code:
            return True
    return False
