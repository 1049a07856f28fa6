"""A PostgreSQL server for the tests: a fresh database per test session, dropped at the end.

The server is ``TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``, the
maintenance database the new one is created from). Where no server answers there, the tests
that need one are skipped with a line saying so; nothing else is ever contacted.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import asyncpg

SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CONNECT_TIMEOUT = 5.0


def unavailable_reason() -> str:
    """The sentence a skipped test shows."""
    host = urlsplit(SERVER_URL).hostname or "?"
    port = urlsplit(SERVER_URL).port or 5432
    return (f"no PostgreSQL server answers on {host}:{port} (TEST_POSTGRES_URL); "
            "the PostgreSQL tests are skipped")


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(SERVER_URL, timeout=CONNECT_TIMEOUT, command_timeout=60)
    try:
        await conn.execute(sql)
    finally:
        await conn.close(timeout=CONNECT_TIMEOUT)


async def create_database() -> str:
    """Create an empty database with a random name; its URL. ``OSError`` when no server answers."""
    name = f"imagebot_test_{secrets.token_hex(6)}"
    await _admin(f'CREATE DATABASE "{name}"')
    return with_database(SERVER_URL, name)


async def drop_database(url: str) -> None:
    """Drop a database made by :func:`create_database`, cutting any connection left to it."""
    name = urlsplit(url).path.strip("/")
    assert name.startswith("imagebot_test_"), name
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def empty_tables(url: str) -> None:
    """Remove every row of every table but the schema's record, so a test starts from nothing."""
    conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT, command_timeout=60)
    try:
        tables = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")]
        if tables:
            await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
    finally:
        await conn.close(timeout=CONNECT_TIMEOUT)


def create_database_sync() -> str | None:
    """:func:`create_database` from synchronous code (session fixtures); ``None`` without a server."""
    try:
        return asyncio.run(create_database())
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return None


def drop_database_sync(url: str) -> None:
    """:func:`drop_database` from synchronous code."""
    asyncio.run(drop_database(url))
