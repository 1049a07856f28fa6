-- Requests the bot has received but not yet turned into a job (with its quota reservation).
-- A row is written before the bot first answers Discord and removed in the same transaction
-- that stores the job, so no acknowledged request is ever without a durable record.
CREATE TABLE intake (
    job_id                  TEXT    PRIMARY KEY,
    kind                    TEXT    NOT NULL CHECK (kind IN ('generate', 'edit')),
    user_id                 INTEGER NOT NULL,
    guild_id                INTEGER,
    channel_id              INTEGER NOT NULL,
    application_id          INTEGER,
    interaction_id          INTEGER,
    interaction_token       TEXT,
    interaction_created_at  REAL,
    request                 TEXT    NOT NULL,   -- JSON object, as in jobs.request
    parent_job_id           TEXT,
    created_at              REAL    NOT NULL
);

-- The sentence a member must still be told about a job that ended without images (failed,
-- interrupted, cancelled). It is written with the refund, in one transaction, and cleared once
-- the member's message shows it, so a restart in between tells them instead of leaving a stale
-- "thinking…" or queue position.
ALTER TABLE jobs ADD COLUMN notice TEXT;
