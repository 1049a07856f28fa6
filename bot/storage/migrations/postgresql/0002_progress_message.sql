-- The "thinking…" message a job shows while it runs (see sqlite/0002_progress_message.sql).
ALTER TABLE jobs ADD COLUMN progress_message_id BIGINT;
