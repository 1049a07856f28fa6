-- Requests received but not yet a job, and notices still to tell (see sqlite/0005_intake_and_notices.sql).
CREATE TABLE intake (
    job_id                  TEXT    PRIMARY KEY,
    kind                    TEXT    NOT NULL CHECK (kind IN ('generate', 'edit')),
    user_id                 BIGINT  NOT NULL,
    guild_id                BIGINT,
    channel_id              BIGINT  NOT NULL,
    application_id          BIGINT,
    interaction_id          BIGINT,
    interaction_token       TEXT,
    interaction_created_at  DOUBLE PRECISION,
    request                 TEXT    NOT NULL,
    parent_job_id           TEXT,
    created_at              DOUBLE PRECISION NOT NULL
);

ALTER TABLE jobs ADD COLUMN notice TEXT;
