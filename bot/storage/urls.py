"""``DATABASE_URL``: which database it names, and how to show it without its password.

``sqlite:///data/bot.db`` (relative), ``sqlite:////var/lib/bot/bot.db`` (absolute), as
SQLAlchemy writes them, or ``postgresql://user:password@host:port/db``. Every message here names
a URL only through :func:`redact_url`, so a password never reaches a log line, an error or
``python -m bot check``'s report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

SQLITE_SCHEMES = ("sqlite", "sqlite+aiosqlite", "sqlite+pysqlite")
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+asyncpg")
MEMORY_FORMS = frozenset({":memory:", "sqlite://", "sqlite:///:memory:"})
HIDDEN = "***"

_EXAMPLES = "sqlite:///data/bot.db or postgresql://user:password@host:5432/db"


@dataclass(frozen=True, repr=False)
class DatabaseURL:
    """A parsed ``DATABASE_URL``: ``backend`` is ``sqlite`` or ``postgresql``.

    ``path`` is the SQLite file (``None`` in memory); ``dsn`` the PostgreSQL URL for asyncpg;
    ``shown`` what may be printed. ``repr`` shows only ``shown``.
    """

    backend: str
    shown: str
    path: Path | None = None
    dsn: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        return f"DatabaseURL({self.shown!r})"


class BadDatabaseURL(ValueError):
    """A ``DATABASE_URL`` that cannot work; ``reason`` says why without repeating the URL."""

    def __init__(self, shown: str, reason: str) -> None:
        super().__init__(f"DATABASE_URL {shown} {reason}")
        self.reason = reason


def _scheme(url: str) -> str:
    return url.partition("://")[0].strip().lower()


def is_postgres_url(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database."""
    return isinstance(url, str) and "://" in url and _scheme(url) in POSTGRES_SCHEMES


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None
    return parts


def redact_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``; safe to log and print."""
    if not isinstance(url, str):
        return "<not a URL>"
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        return text
    authority, slash, tail = rest.partition("/")
    if "@" not in authority:
        return text
    userinfo, _, hostport = authority.rpartition("@")
    user = userinfo.split(":", 1)[0]
    shown_user = f"{user}:{HIDDEN}" if ":" in userinfo else user
    return f"{scheme}://{shown_user}@{hostport}{slash}{tail}"


def url_password(url: str) -> str | None:
    """The password of a database URL, or ``None`` (for redaction: never print it)."""
    if not isinstance(url, str) or "://" not in url:
        return None
    authority = url.strip().partition("://")[2].partition("/")[0]
    if "@" not in authority:
        return None
    userinfo = authority.rpartition("@")[0]
    if ":" not in userinfo:
        return None
    return userinfo.split(":", 1)[1] or None


def secrets_of(url: str) -> tuple[str, ...]:
    """The password of ``url`` as written and percent-decoded, for the log redactor."""
    password = url_password(url)
    if not password:
        return ()
    return tuple(dict.fromkeys((password, unquote(password))))


def parse_database_url(url: str) -> Path:
    """Turn a SQLAlchemy-style SQLite URL into a file path.

    ``sqlite:///data/bot.db`` is relative to the working directory and
    ``sqlite:////var/lib/bot/bot.db`` is absolute (four slashes). Anything else raises
    ``ValueError`` with a sentence an admin can act on; the message never repeats the URL of
    another database, which could hold a password.
    """
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"DATABASE_URL is empty; write it as {_EXAMPLES}")
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(
            "DATABASE_URL must be a URL such as sqlite:///data/bot.db (relative), "
            "sqlite:////var/lib/bot/bot.db (absolute) or postgresql://user:password@host:5432/db"
        )
    if scheme.lower() in POSTGRES_SCHEMES:
        raise ValueError("DATABASE_URL names a PostgreSQL database, which has no file path")
    if scheme.lower() not in SQLITE_SCHEMES:
        # Only the scheme is named: the rest of a mysql:// URL may hold a password.
        raise ValueError(
            f"DATABASE_URL uses {scheme!r}, but only SQLite and PostgreSQL are supported; write {_EXAMPLES}"
        )
    if not rest.startswith("/"):
        raise ValueError(
            f"DATABASE_URL {url!r} has a host part; write sqlite:///relative/path.db "
            "(three slashes) or sqlite:////absolute/path.db (four slashes)"
        )
    path_text = rest[1:]  # the slash that ends the (empty) host
    if "?" in path_text or "#" in path_text:
        raise ValueError(f"DATABASE_URL {url!r} has query parameters, which are not supported; give only the path")
    path_text = unquote(path_text)
    if not path_text or path_text.endswith("/"):
        raise ValueError(f"DATABASE_URL {url!r} names no file; write it as sqlite:///data/bot.db")
    if path_text == ":memory:":
        raise ValueError("DATABASE_URL points at an in-memory database, which has no file path")
    return Path(path_text)


def parse_postgres_url(url: str) -> DatabaseURL:
    """Check a ``postgresql://user:password@host:port/db`` URL; ``ValueError`` names what is wrong
    (never the password)."""
    shown = redact_url(url)
    parts = _split(url)
    if parts is None:
        raise BadDatabaseURL(shown, "is not a valid URL (is the port a number?)")
    if not parts.hostname:
        raise BadDatabaseURL(shown, f"names no host; write {_EXAMPLES}")
    if not parts.path.strip("/"):
        raise BadDatabaseURL(shown, "names no database; add /dbname after the host and port")
    if parts.fragment:
        raise BadDatabaseURL(shown, "has a #fragment, which means nothing here")
    dsn = "postgresql://" + url.strip().partition("://")[2]
    return DatabaseURL("postgresql", shown=shown, dsn=dsn, password=url_password(url))


def parse(url_or_path: str | Path) -> DatabaseURL:
    """What ``url_or_path`` names: a SQLite file (a URL, a path, ``:memory:``) or a PostgreSQL URL."""
    if isinstance(url_or_path, Path):
        return DatabaseURL("sqlite", shown=str(url_or_path), path=url_or_path)
    text = url_or_path.strip()
    if text in MEMORY_FORMS:
        return DatabaseURL("sqlite", shown=":memory:")
    if is_postgres_url(text):
        return parse_postgres_url(text)
    if "://" in text:
        path = parse_database_url(text)
        return DatabaseURL("sqlite", shown=str(path), path=path)
    if not text:
        raise ValueError("the database location is empty")
    return DatabaseURL("sqlite", shown=text, path=Path(text))
