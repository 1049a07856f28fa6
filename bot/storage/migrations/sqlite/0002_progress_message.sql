-- The "thinking…" message a job shows while it runs, so that a result posted to the channel
-- after the interaction token died (15 minutes) can remove it instead of leaving it forever.
ALTER TABLE jobs ADD COLUMN progress_message_id INTEGER;
