"""SQLite's SQL as PostgreSQL writes it, and PostgreSQL's values as sqlite3 returns them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.storage.dialect import postgres_value, status_rowcount, to_postgres


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT * FROM jobs WHERE id = ? AND state = ?", "SELECT * FROM jobs WHERE id = $1 AND state = $2"),
        ("SELECT '?' FROM t WHERE a = ?", "SELECT '?' FROM t WHERE a = $1"),
        ("INSERT OR IGNORE INTO t (a) VALUES (?)", "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"),
        ("INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING *",
         "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING *"),
        ("UPDATE jobs SET r = MIN(r, ?)", "UPDATE jobs SET r = LEAST(r, $1)"),
        ("SELECT MAX(a, COALESCE(b, 0))", "SELECT GREATEST(a, COALESCE(b, 0))"),
        ("SELECT COALESCE(MAX(version), 0) FROM m", "SELECT COALESCE(MAX(version), 0) FROM m"),
        ("SELECT SUM(state IN ('a', 'b')) AS n", "SELECT SUM(CASE WHEN state IN ('a', 'b') THEN 1 ELSE 0 END) AS n"),
        ("SELECT COUNT(*), SUM(k = ?) FROM t", "SELECT COUNT(*), SUM(CASE WHEN k = $1 THEN 1 ELSE 0 END) FROM t"),
        ("SELECT SUM(cost) FROM t", "SELECT SUM(cost) FROM t"),
        ("SELECT SUM(CASE WHEN a = ? THEN b END)", "SELECT SUM(CASE WHEN a = $1 THEN b END)"),
        ("UPDATE s SET e = ? WHERE e IS NOT ?", "UPDATE s SET e = $1 WHERE e IS DISTINCT FROM $2"),
        ("SELECT * FROM t WHERE e IS NOT NULL", "SELECT * FROM t WHERE e IS NOT NULL"),
        ("SELECT * FROM jobs ORDER BY created_at, rowid", "SELECT * FROM jobs ORDER BY created_at, rowid"),
    ],
)
def test_statements_are_rewritten_for_postgresql(sqlite: str, postgres: str) -> None:
    """Each rule of the dialect table, and statements that need none left alone."""
    assert to_postgres(sqlite) == postgres


def test_values_read_back_as_sqlite_returns_them() -> None:
    """A SUM of BIGINT (numeric) is an int again; other values pass through."""
    assert postgres_value(Decimal("12")) == 12 and isinstance(postgres_value(Decimal("12")), int)
    assert postgres_value(Decimal("1.5")) == 1.5
    assert postgres_value("x") == "x" and postgres_value(None) is None


@pytest.mark.parametrize(("tag", "count"), [("UPDATE 3", 3), ("INSERT 0 1", 1), ("DELETE 0", 0),
                                            ("SELECT 1", 1), ("BEGIN", 0), (None, 0)])
def test_rowcount_comes_from_the_command_tag(tag: str | None, count: int) -> None:
    """``cursor.rowcount`` on PostgreSQL is the number at the end of the command tag."""
    assert status_rowcount(tag) == count
