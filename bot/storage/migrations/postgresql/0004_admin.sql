-- Issue 12, "Admins in control", as sqlite/0004_admin.sql: settings, blocked terms, audit entries.

CREATE TABLE guild_settings (
    guild_id        BIGINT PRIMARY KEY,
    default_model   TEXT,
    allowed_models  TEXT,               -- JSON list of model ids; NULL = every model
    log_channel_id  BIGINT,
    log_set_at      DOUBLE PRECISION,
    log_error       TEXT,
    moderation      TEXT CHECK (moderation IS NULL OR moderation IN ('auto', 'low')),
    previews        BIGINT CHECK (previews IS NULL OR previews IN (0, 1)),
    updated_by      BIGINT,
    updated_at      DOUBLE PRECISION
);

CREATE TABLE blocked_terms (
    guild_id    BIGINT  NOT NULL,
    term_key    TEXT COLLATE "C" NOT NULL,
    term        TEXT    NOT NULL,
    added_by    BIGINT  NOT NULL,
    added_at    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, term_key)
);

CREATE TABLE audit_entries (
    job_id          TEXT    PRIMARY KEY,
    guild_id        BIGINT  NOT NULL,
    log_channel_id  BIGINT  NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'claimed', 'posted', 'failed')),
    outcome         TEXT    NOT NULL,
    detail          TEXT,
    payload         TEXT    NOT NULL,
    message_id      BIGINT,
    created_at      DOUBLE PRECISION NOT NULL,
    claimed_at      DOUBLE PRECISION,
    posted_at       DOUBLE PRECISION
);
CREATE INDEX audit_entries_unposted ON audit_entries (created_at) WHERE state IN ('pending', 'claimed');
