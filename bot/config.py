"""Settings: the only place that reads ``.env`` and ``os.environ``.

``Settings.from_env()`` collects every problem at once and raises ``ConfigError`` with one line
per problem, each naming the variable, so an admin fixes their ``.env`` in one go. Secrets are
never echoed back, not even in error lines.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv
from yarl import URL

from bot.gptproto.registry import EDIT_MODELS, GENERATE_MODELS
from bot.money import usd_to_micros
from bot.pricing import PricesFileError, Pricing
from bot.storage.quotas import Limits
from bot.storage.urls import BadDatabaseURL, is_postgres_url, parse_postgres_url, redact_url, secrets_of

DEFAULT_BASE_URL = "https://gptproto.com"
DEFAULT_DATABASE_URL = "sqlite:///data/bot.db"
UNLIMITED_WORDS = frozenset({"unlimited", "none", "inf", "infinite"})
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
LOG_FORMATS = ("text", "json")
DEFAULT_METRICS_HOST = "127.0.0.1"
DEFAULT_JOB_LEASE_S = 60.0
MAX_SHARDS = 4096
DATABASE_FORMS = "sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://user:password@host:port/db"


class ConfigError(Exception):
    """The configuration is unusable; ``problems`` holds one readable line per variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _secret(value: str) -> str:
    """A placeholder that proves a secret is set without showing any of it."""
    return f"<set, {len(value)} characters>"


@dataclass(frozen=True, repr=False)
class Settings:
    """Everything the bot is configured with. ``repr`` hides the secrets."""

    discord_token: str
    api_key: str
    api_base_url: str = DEFAULT_BASE_URL
    discord_api_base_url: str | None = None
    discord_gateway_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    default_model: str = "gpt-image-1"
    default_edit_model: str = "gpt-image-1.5-plus"
    user_daily_images: int | None = 20
    guild_daily_images: int | None = 200
    max_concurrent_jobs: int = 4
    max_jobs_per_user: int = 2
    edit_timeout_s: float = 600.0
    preview_images: int = 2
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    user_daily_budget: int | None = None
    """Micro-dollars one member may spend per UTC day in one server; ``None`` unlimited."""
    guild_daily_budget: int | None = None
    guild_monthly_budget: int | None = None
    prices_file: str | None = None
    pricing: Pricing = field(default_factory=Pricing, compare=False)
    """The prices in force: built-in, overridden by ``PRICES_FILE``, and ``PREVIEW_IMAGES``."""
    log_format: str = "text"
    metrics_port: int | None = None
    metrics_host: str = DEFAULT_METRICS_HOST
    shard_count: int | None = None
    """Shards across all processes; ``None``: as many as Discord recommends, all in this process."""
    shard_ids: tuple[int, ...] | None = None
    """The shards this process runs; ``None``: all of ``shard_count``."""
    job_lease_s: float = DEFAULT_JOB_LEASE_S
    """How long this process's claim on a job lasts without renewal before another takes it."""
    secrets: tuple[str, ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        shown = {
            "discord_token": _secret(self.discord_token),
            "api_key": _secret(self.api_key),
            "api_base_url": self.api_base_url,
            "database_url": redact_url(self.database_url),
            "default_model": self.default_model,
        }
        inner = ", ".join(f"{k}={v!r}" for k, v in shown.items())
        return f"Settings({inner}, ...)"

    def quota_limits(self) -> Limits:
        """The bot-wide quota defaults for the quota store."""
        return Limits(user_daily=self.user_daily_images, guild_daily=self.guild_daily_images,
                      max_jobs_per_user=self.max_jobs_per_user, user_daily_budget=self.user_daily_budget,
                      guild_daily_budget=self.guild_daily_budget,
                      guild_monthly_budget=self.guild_monthly_budget, pricing=self.pricing)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        dotenv_path: str | Path | None = ".env",
    ) -> Settings:
        """Read the settings from the environment, after loading ``.env`` beneath it.

        A variable already in the environment wins over ``.env`` (python-dotenv's default), so
        containers and tests can override it. Passing ``environ`` skips ``.env`` entirely.
        """
        if environ is None:
            if dotenv_path is not None and Path(dotenv_path).is_file():
                load_dotenv(dotenv_path, override=False)
            environ = os.environ
        return _parse(environ)


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _parse(env: Mapping[str, str]) -> Settings:
    problems: list[str] = []

    def raw(name: str) -> str | None:
        value = env.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def required_secret(name: str, hint: str) -> str:
        value = raw(name)
        if value is None:
            problems.append(f"{name} is missing: {hint}")
            return ""
        if any(c.isspace() for c in value) or not value.isprintable():
            problems.append(f"{name} contains spaces or control characters; paste it again")
        return value

    def integer(name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
        value = raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            problems.append(f"{name} must be a whole number, not {value!r}")
            return default
        if number < minimum or (maximum is not None and number > maximum):
            upper = f" and {maximum}" if maximum is not None else " or more"
            between = f"between {minimum}{upper}" if maximum is not None else f"{minimum}{upper}"
            problems.append(f"{name} must be {between}, not {number}")
            return default
        return number

    def limit(name: str, default: int | None) -> int | None:
        value = raw(name)
        if value is None:
            return default
        if value.lower() in UNLIMITED_WORDS:
            return None
        try:
            number = int(value)
        except ValueError:
            problems.append(f"{name} must be a whole number of images, 0 or 'unlimited', not {value!r}")
            return default
        if number < 0:
            problems.append(f"{name} must be 0 or more (0 blocks, 'unlimited' lifts it), not {number}")
            return default
        return number

    def budget(name: str) -> int | None:
        value = raw(name)
        if value is None or value.lower() in UNLIMITED_WORDS:
            return None
        try:
            return usd_to_micros(value)
        except ValueError:
            problems.append(f"{name} must be an amount of US dollars such as 5 or 2.50, 0 to block, "
                            f"or 'unlimited', not {value!r}")
            return None

    def url(name: str, default: str | None, schemes: tuple[str, ...]) -> str | None:
        value = raw(name)
        if value is None:
            return default
        try:
            parsed = URL(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.scheme not in schemes or not parsed.host:
            # Only the scheme is shown: a URL may carry a password (user:pass@host).
            shown = f"a {parsed.scheme!r} URL" if parsed is not None and parsed.scheme else "that value"
            problems.append(f"{name} must be a {' or '.join(schemes)} URL, not {shown}")
            return default
        return value.rstrip("/")

    token = required_secret("DISCORD_TOKEN", "copy the bot token from the Discord developer portal")
    key = required_secret("GPTPROTO_API_KEY", "create an API key (sk-...) in the GPTProto dashboard")
    api_base = url("GPTPROTO_BASE_URL", DEFAULT_BASE_URL, ("http", "https")) or DEFAULT_BASE_URL
    discord_rest = url("DISCORD_API_BASE_URL", None, ("http", "https"))
    discord_gateway = url("DISCORD_GATEWAY_URL", None, ("ws", "wss"))

    database_url = raw("DATABASE_URL") or DEFAULT_DATABASE_URL
    if is_postgres_url(database_url):
        try:
            parse_postgres_url(database_url)
        except BadDatabaseURL as error:
            # The reason only: the URL may carry a password.
            problems.append(f"DATABASE_URL must look like {DATABASE_FORMS}; this PostgreSQL URL {error.reason}")
    elif not database_url.startswith("sqlite:///"):
        problems.append(
            f"DATABASE_URL must look like {DATABASE_FORMS}, "
            + (f"not a {database_url.partition(':')[0]!r} URL" if ":" in database_url
               else f"not a bare path (write sqlite:///{database_url})")
        )

    default_model = raw("DEFAULT_MODEL") or "gpt-image-1"
    if default_model not in GENERATE_MODELS:
        problems.append(f"DEFAULT_MODEL must be one of {', '.join(GENERATE_MODELS)}, not {default_model!r}")
    default_edit = raw("DEFAULT_EDIT_MODEL") or "gpt-image-1.5-plus"
    if default_edit not in EDIT_MODELS:
        problems.append(f"DEFAULT_EDIT_MODEL must be one of {', '.join(EDIT_MODELS)}, not {default_edit!r}")

    dev_guild = raw("DEV_GUILD_ID")
    dev_guild_id: int | None = None
    if dev_guild is not None:
        if dev_guild.isdigit() and len(dev_guild) >= 15:
            dev_guild_id = int(dev_guild)
        else:
            problems.append(f"DEV_GUILD_ID must be a server id (a long number), not {dev_guild!r}")

    log_level = (raw("LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")

    preview_images = integer("PREVIEW_IMAGES", 2, minimum=0, maximum=3)
    prices_file = raw("PRICES_FILE")
    pricing = Pricing(preview_images=preview_images)
    if prices_file is not None:
        try:
            pricing = pricing.with_file(Path(prices_file).expanduser())
        except PricesFileError as error:
            problems.extend(error.problems)
    log_format = (raw("LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        problems.append(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
        log_format = "text"

    metrics_port: int | None = None
    if raw("METRICS_PORT") is not None:
        metrics_port = integer("METRICS_PORT", 0, minimum=1, maximum=65535) or None
    metrics_host = raw("METRICS_HOST") or DEFAULT_METRICS_HOST
    if not _is_ip_address(metrics_host) and metrics_host != "localhost":
        problems.append(f"METRICS_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, not {metrics_host!r}")
        metrics_host = DEFAULT_METRICS_HOST

    shard_count, shard_ids = _shards(raw("SHARD_COUNT"), raw("SHARD_IDS"), problems)
    if (shard_count is not None and shard_ids is not None and set(shard_ids) != set(range(shard_count))
            and not is_postgres_url(database_url)):
        # Other processes run the other shards, and a SQLite file serves one process only.
        problems.append("SHARD_IDS leaves shards to other processes, which need a shared database: set "
                        "DATABASE_URL=postgresql://user:password@host:port/db (see README, Scaling out)")

    settings = Settings(
        discord_token=token,
        api_key=key,
        api_base_url=api_base,
        discord_api_base_url=discord_rest,
        discord_gateway_url=discord_gateway,
        database_url=database_url,
        default_model=default_model,
        default_edit_model=default_edit,
        user_daily_images=limit("USER_DAILY_IMAGES", 20),
        guild_daily_images=limit("GUILD_DAILY_IMAGES", 200),
        max_concurrent_jobs=integer("MAX_CONCURRENT_JOBS", 4, minimum=1, maximum=64),
        max_jobs_per_user=integer("MAX_JOBS_PER_USER", 2, minimum=1, maximum=100),
        edit_timeout_s=float(integer("EDIT_TIMEOUT_S", 600, minimum=10, maximum=86_400)),
        preview_images=preview_images,
        dev_guild_id=dev_guild_id,
        log_level=log_level,
        user_daily_budget=budget("USER_DAILY_BUDGET_USD"),
        guild_daily_budget=budget("GUILD_DAILY_BUDGET_USD"),
        guild_monthly_budget=budget("GUILD_MONTHLY_BUDGET_USD"),
        prices_file=prices_file,
        pricing=pricing,
        log_format=log_format,
        metrics_port=metrics_port,
        metrics_host=metrics_host,
        shard_count=shard_count,
        shard_ids=shard_ids,
        job_lease_s=float(integer("JOB_LEASE_S", int(DEFAULT_JOB_LEASE_S), minimum=2, maximum=3600)),
        secrets=tuple(s for s in (token, key, *secrets_of(database_url)) if s),
    )
    if problems:
        raise ConfigError(problems)
    return settings


def _shards(count_text: str | None, ids_text: str | None,
            problems: list[str]) -> tuple[int | None, tuple[int, ...] | None]:
    """``SHARD_COUNT`` and ``SHARD_IDS``, checked together; one line per problem."""
    count: int | None = None
    if count_text is not None:
        if count_text.isdigit() and 1 <= int(count_text) <= MAX_SHARDS:
            count = int(count_text)
        else:
            problems.append(f"SHARD_COUNT must be a whole number between 1 and {MAX_SHARDS}, not {count_text!r}")
    if ids_text is None:
        return count, None
    parts = [p.strip() for p in ids_text.split(",")]
    if not all(p.isdigit() for p in parts):
        problems.append(f"SHARD_IDS must be shard numbers separated by commas, such as 0,1, not {ids_text!r}")
        return count, None
    ids = tuple(int(p) for p in parts)
    if len(set(ids)) != len(ids):
        problems.append(f"SHARD_IDS names a shard twice: {ids_text!r}")
    if count_text is None:
        problems.append("SHARD_IDS needs SHARD_COUNT, the number of shards across all processes")
    elif count is not None and any(i >= count for i in ids):
        problems.append(f"SHARD_IDS must be below SHARD_COUNT ({count}): shards are numbered 0 to {count - 1}, "
                        f"not {ids_text!r}")
    return count, tuple(sorted(set(ids)))
