-- Jobs, quota overrides and a key/value table.
--
-- Snowflakes (user, guild, channel, message ids) fit SQLite's signed 64-bit INTEGER.
-- Times are epoch seconds (REAL); quota_day is the UTC calendar day of the reservation.

CREATE TABLE jobs (
    id                      TEXT    PRIMARY KEY,
    kind                    TEXT    NOT NULL CHECK (kind IN ('generate', 'edit')),
    state                   TEXT    NOT NULL CHECK (state IN (
                                        'queued', 'running', 'submitted', 'delivering',
                                        'done', 'failed', 'interrupted', 'cancelled')),
    user_id                 INTEGER NOT NULL,
    guild_id                INTEGER,            -- NULL in direct messages
    channel_id              INTEGER NOT NULL,
    application_id          INTEGER,
    interaction_id          INTEGER,
    interaction_token       TEXT,
    interaction_created_at  REAL,
    request                 TEXT    NOT NULL,   -- JSON object
    model                   TEXT    NOT NULL,
    images_requested        INTEGER NOT NULL CHECK (images_requested > 0),
    -- What counts against the quota now: the request at first, the delivered images once done,
    -- nothing once failed.
    images_reserved         INTEGER NOT NULL CHECK (images_reserved >= 0),
    images_delivered        INTEGER NOT NULL DEFAULT 0 CHECK (images_delivered >= 0),
    prediction_id           TEXT,
    message_id              INTEGER,
    result_message_ids      TEXT    NOT NULL DEFAULT '[]',  -- JSON list of message ids
    input_tokens            INTEGER NOT NULL DEFAULT 0,
    output_tokens           INTEGER NOT NULL DEFAULT 0,
    total_tokens            INTEGER NOT NULL DEFAULT 0,
    error                   TEXT,
    quota_day               TEXT    NOT NULL,   -- 'YYYY-MM-DD', UTC
    created_at              REAL    NOT NULL,
    started_at              REAL,
    finished_at             REAL,
    -- Not a foreign key on purpose: result buttons carry job ids and outlive rows they point to.
    parent_job_id           TEXT
);

-- Recovery on start and the per-member job count only look at active jobs.
CREATE INDEX jobs_active_by_user ON jobs (user_id)
    WHERE state IN ('queued', 'running', 'submitted', 'delivering');
CREATE INDEX jobs_active_by_created ON jobs (created_at)
    WHERE state IN ('queued', 'running', 'submitted', 'delivering');

-- Today's use: per member in a server, per server, and per user in direct messages.
CREATE INDEX jobs_by_guild_day_user ON jobs (guild_id, quota_day, user_id);
CREATE INDEX jobs_by_user_day ON jobs (user_id, quota_day);

CREATE INDEX jobs_by_parent ON jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;

-- Limits set by a server's admins. target_id is the role or member id, 0 for the two
-- server-wide scopes (a NULL would not be unique in the primary key). daily_limit NULL means
-- unlimited, 0 blocks.
CREATE TABLE quota_overrides (
    guild_id     INTEGER NOT NULL,
    scope        TEXT    NOT NULL CHECK (scope IN ('server', 'server_total', 'role', 'member')),
    target_id    INTEGER NOT NULL DEFAULT 0,
    daily_limit  INTEGER CHECK (daily_limit IS NULL OR daily_limit >= 0),
    set_by       INTEGER NOT NULL,
    set_at       REAL    NOT NULL,
    PRIMARY KEY (guild_id, scope, target_id),
    CHECK ((scope IN ('server', 'server_total')) = (target_id = 0))
) WITHOUT ROWID;

-- Small facts the bot keeps between runs, such as the hash of the last synced commands.
CREATE TABLE meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  REAL NOT NULL
) WITHOUT ROWID;
