"""The one place where SQLite's SQL becomes PostgreSQL's.

The stores write their statements once, in SQLite's dialect (the bot's first database and still
the default). :func:`to_postgres` rewrites the few things PostgreSQL spells differently, and
:func:`postgres_value` turns what asyncpg returns into what ``sqlite3`` would have returned, so a
row reads the same to a store on either database:

=================================  =========================================================
SQLite                             PostgreSQL
=================================  =========================================================
``?`` placeholders                 ``$1``, ``$2`` … (never inside a quoted string)
``INSERT OR IGNORE INTO …``        ``INSERT INTO … ON CONFLICT DO NOTHING``
``MIN(a, b)`` / ``MAX(a, b)``      ``LEAST(a, b)`` / ``GREATEST(a, b)`` (scalar, two arguments)
``SUM(x IN (…))``, ``SUM(a = ?)``  ``SUM(CASE WHEN … THEN 1 ELSE 0 END)`` (no sum of booleans)
``a IS NOT ?``                     ``a IS DISTINCT FROM ?``
``rowid``                          a real ``rowid BIGSERIAL`` column of ``jobs`` (migrations)
``INTEGER`` / ``REAL`` columns     ``BIGINT`` / ``DOUBLE PRECISION`` (migrations)
``SUM`` of integers (an integer)   ``SUM`` of ``BIGINT`` is ``numeric``: read back as ``int``
=================================  =========================================================

Nothing else of SQLite's is used by the stores; a statement that needs something new adds its
rule here, with a test in ``tests/unit/bot/storage/test_dialect.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\sRETURNING\s", re.IGNORECASE)
_IS_NOT_PARAM = re.compile(r"\bIS\s+NOT\s+\?", re.IGNORECASE)
_COMPARISON = re.compile(r"\sIN\s*\(|[=<>]|\bIS\s+(NOT\s+)?NULL\b", re.IGNORECASE)
_FUNCTION = re.compile(r"\b(MIN|MAX|SUM)\s*\(", re.IGNORECASE)


@lru_cache(maxsize=512)
def to_postgres(sql: str) -> str:
    """``sql`` (SQLite's dialect, as the stores write it) in PostgreSQL's dialect."""
    text = _IS_NOT_PARAM.sub("IS DISTINCT FROM ?", sql)
    text = _rewrite_functions(text)
    if _INSERT_OR_IGNORE.match(text):
        text = _INSERT_OR_IGNORE.sub("INSERT INTO", text, count=1)
        returning = _RETURNING.search(text)
        if returning is None:
            text = text.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
        else:
            text = text[: returning.start()] + " ON CONFLICT DO NOTHING" + text[returning.start():]
    return _number_placeholders(text)


def _number_placeholders(sql: str) -> str:
    """``?`` → ``$1``, ``$2`` …, leaving quoted strings and identifiers alone."""
    out: list[str] = []
    number = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            out.append(char)
            if char == quote:
                quote = None
            continue
        if char in ("'", '"'):
            quote = char
            out.append(char)
        elif char == "?":
            number += 1
            out.append(f"${number}")
        else:
            out.append(char)
    return "".join(out)


def _unquoted(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """``(index, character)`` of each character of ``text`` from ``start`` that is outside quotes."""
    quote: str | None = None
    for index in range(start, len(text)):
        char = text[index]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in ("'", '"'):
            quote = char
        else:
            yield index, char


def _closing(sql: str, start: int) -> int:
    """The index of the parenthesis that closes the one just before ``start``."""
    depth = 1
    for index, char in _unquoted(sql, start):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced parentheses in SQL: {sql[:80]!r}")


def _top_level_commas(text: str) -> int:
    """How many commas ``text`` has outside parentheses and quotes."""
    depth = 0
    commas = 0
    for _, char in _unquoted(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            commas += 1
    return commas


def _rewrite_functions(sql: str) -> str:
    """Scalar ``MIN``/``MAX`` of two values, and sums of booleans, as PostgreSQL writes them."""
    out: list[str] = []
    position = 0
    while True:
        match = _FUNCTION.search(sql, position)
        if match is None:
            out.append(sql[position:])
            return "".join(out)
        name = match.group(1).upper()
        inner_start = match.end()
        inner_end = _closing(sql, inner_start)
        inner = _rewrite_functions(sql[inner_start:inner_end])
        out.append(sql[position:match.start()])
        if name in ("MIN", "MAX") and _top_level_commas(inner) == 1:
            out.append(("LEAST(" if name == "MIN" else "GREATEST(") + inner + ")")
        elif (name == "SUM" and not inner.lstrip().upper().startswith("CASE")
              and _COMPARISON.search(inner)):
            out.append(f"SUM(CASE WHEN {inner.strip()} THEN 1 ELSE 0 END)")
        else:
            out.append(sql[match.start():inner_start] + inner + ")")
        position = inner_end + 1


def postgres_value(value: object) -> object:
    """A value asyncpg returned, as ``sqlite3`` would have: a whole ``numeric`` (``SUM`` of
    ``BIGINT``) becomes an ``int``, any other ``numeric`` a ``float``."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def status_rowcount(status: str | None) -> int:
    """The rows a statement changed, from PostgreSQL's command tag (``UPDATE 3``, ``INSERT 0 1``)."""
    if not status:
        return 0
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0
