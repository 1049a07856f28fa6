-- Jobs, quota overrides and a key/value table: the PostgreSQL twin of sqlite/0001_initial.sql.
--
-- Every SQLite INTEGER (64-bit) is a BIGINT here, so snowflakes (user, guild, channel, message
-- ids) fit; every REAL is a DOUBLE PRECISION (PostgreSQL's REAL has only 24 bits of precision, too
-- few for epoch seconds). Texts that are compared or sorted use COLLATE "C", which orders them
-- byte by byte as SQLite does, whatever locale the server was created with.

CREATE TABLE jobs (
    id                      TEXT    PRIMARY KEY,
    -- SQLite's implicit rowid, made explicit: the tie-break of "oldest first" in both databases.
    rowid                   BIGSERIAL NOT NULL UNIQUE,
    kind                    TEXT    NOT NULL CHECK (kind IN ('generate', 'edit')),
    state                   TEXT    NOT NULL CHECK (state IN (
                                        'queued', 'running', 'submitted', 'delivering',
                                        'done', 'failed', 'interrupted', 'cancelled')),
    user_id                 BIGINT  NOT NULL,
    guild_id                BIGINT,             -- NULL in direct messages
    channel_id              BIGINT  NOT NULL,
    application_id          BIGINT,
    interaction_id          BIGINT,
    interaction_token       TEXT,
    interaction_created_at  DOUBLE PRECISION,
    request                 TEXT    NOT NULL,   -- JSON object
    model                   TEXT    NOT NULL,
    images_requested        BIGINT  NOT NULL CHECK (images_requested > 0),
    images_reserved         BIGINT  NOT NULL CHECK (images_reserved >= 0),
    images_delivered        BIGINT  NOT NULL DEFAULT 0 CHECK (images_delivered >= 0),
    prediction_id           TEXT,
    message_id              BIGINT,
    result_message_ids      TEXT    NOT NULL DEFAULT '[]',  -- JSON list of message ids
    input_tokens            BIGINT  NOT NULL DEFAULT 0,
    output_tokens           BIGINT  NOT NULL DEFAULT 0,
    total_tokens            BIGINT  NOT NULL DEFAULT 0,
    error                   TEXT,
    quota_day               TEXT COLLATE "C" NOT NULL,   -- 'YYYY-MM-DD', UTC
    created_at              DOUBLE PRECISION NOT NULL,
    started_at              DOUBLE PRECISION,
    finished_at             DOUBLE PRECISION,
    parent_job_id           TEXT
);

CREATE INDEX jobs_active_by_user ON jobs (user_id)
    WHERE state IN ('queued', 'running', 'submitted', 'delivering');
CREATE INDEX jobs_active_by_created ON jobs (created_at)
    WHERE state IN ('queued', 'running', 'submitted', 'delivering');

CREATE INDEX jobs_by_guild_day_user ON jobs (guild_id, quota_day, user_id);
CREATE INDEX jobs_by_user_day ON jobs (user_id, quota_day);

CREATE INDEX jobs_by_parent ON jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;

CREATE TABLE quota_overrides (
    guild_id     BIGINT  NOT NULL,
    scope        TEXT    NOT NULL CHECK (scope IN ('server', 'server_total', 'role', 'member')),
    target_id    BIGINT  NOT NULL DEFAULT 0,
    daily_limit  BIGINT  CHECK (daily_limit IS NULL OR daily_limit >= 0),
    set_by       BIGINT  NOT NULL,
    set_at       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, scope, target_id),
    CHECK ((scope IN ('server', 'server_total')) = (target_id = 0))
);

CREATE TABLE meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  DOUBLE PRECISION NOT NULL
);
