-- Issue 12, "Admins in control": per-server settings, blocked terms and the audit log.
-- Numbered 0004 so that it applies after 0003 (budgets); it does not depend on 0003.

-- One row per server that changed anything; a NULL column means "the bot's default applies".
CREATE TABLE guild_settings (
    guild_id        INTEGER PRIMARY KEY,
    default_model   TEXT,
    allowed_models  TEXT,               -- JSON list of model ids; NULL = every model
    log_channel_id  INTEGER,
    log_set_at      REAL,               -- when the log channel was chosen (older jobs are not logged)
    log_error       TEXT,               -- why the last audit post there failed; NULL when it worked
    moderation      TEXT CHECK (moderation IS NULL OR moderation IN ('auto', 'low')),
    previews        INTEGER CHECK (previews IS NULL OR previews IN (0, 1)),
    updated_by      INTEGER,
    updated_at      REAL
);

-- Words and phrases a server refuses in prompts. term_key is the normalized letters (two terms
-- with one key block the same text), term what the admin typed.
CREATE TABLE blocked_terms (
    guild_id    INTEGER NOT NULL,
    term_key    TEXT    NOT NULL,
    term        TEXT    NOT NULL,
    added_by    INTEGER NOT NULL,
    added_at    REAL    NOT NULL,
    PRIMARY KEY (guild_id, term_key)
) WITHOUT ROWID;

-- One audit entry per finished job (or refused request), so it is posted at most once, across
-- restarts too: pending -> claimed (a process is posting it) -> posted | failed.
CREATE TABLE audit_entries (
    job_id          TEXT    PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    log_channel_id  INTEGER NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'claimed', 'posted', 'failed')),
    outcome         TEXT    NOT NULL,
    detail          TEXT,
    payload         TEXT    NOT NULL,   -- JSON: what the message shows, frozen when the job ended
    message_id      INTEGER,
    created_at      REAL    NOT NULL,
    claimed_at      REAL,
    posted_at       REAL
);
CREATE INDEX audit_entries_unposted ON audit_entries (created_at) WHERE state IN ('pending', 'claimed');
