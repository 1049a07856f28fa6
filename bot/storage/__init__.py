"""Storage: the database (SQLite or PostgreSQL) and every SQL statement of the bot.

``Database.open(url)`` gives ``db.jobs`` (:class:`JobStore`), ``db.quotas``
(:class:`QuotaStore`), ``db.intake``, ``db.settings``, ``db.audit`` and ``db.meta``
(:class:`MetaStore`), the same on either database.
"""

from bot.storage.database import Database, PostgresDatabase, SqliteDatabase, parse_database_url
from bot.storage.jobs import (
    ACTIVE_STATES,
    FAILED_STATES,
    JobNotFound,
    JobRecord,
    JobState,
    JobStore,
    ReplyTarget,
)
from bot.storage.meta import MetaStore
from bot.storage.quotas import (
    DayStats,
    EffectiveLimits,
    GuildStats,
    Limits,
    MemberStats,
    Override,
    OverrideScope,
    QuotaStore,
    QuotaUsage,
)

__all__ = [
    "ACTIVE_STATES",
    "FAILED_STATES",
    "Database",
    "DayStats",
    "EffectiveLimits",
    "GuildStats",
    "JobNotFound",
    "JobRecord",
    "JobState",
    "JobStore",
    "Limits",
    "MemberStats",
    "MetaStore",
    "Override",
    "OverrideScope",
    "PostgresDatabase",
    "QuotaStore",
    "QuotaUsage",
    "ReplyTarget",
    "SqliteDatabase",
    "parse_database_url",
]
