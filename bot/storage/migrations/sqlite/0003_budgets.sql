-- Budgets in money (issue 11). All money is whole micro-dollars ($1 = 1,000,000).
--
-- cost_estimate_micros: the worst case reserved when the job was accepted (kept as it was).
-- cost_micros: what counts against budgets now, as images_reserved does for images: the
--   estimate while the job runs, the actual cost once done, 0 once failed (refunded).
-- cost_basis: where the final cost came from: 'usage' (the answer's token usage), 'estimate'
--   (an answer without usage, such as an edit) or 'per_image'; NULL until the job is done.
-- text_input_tokens / image_input_tokens: the answer's input_tokens_details, priced apart.
ALTER TABLE jobs ADD COLUMN cost_estimate_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_estimate_micros >= 0);
ALTER TABLE jobs ADD COLUMN cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (cost_micros >= 0);
ALTER TABLE jobs ADD COLUMN cost_basis TEXT CHECK (cost_basis IN ('usage', 'estimate', 'per_image'));
ALTER TABLE jobs ADD COLUMN text_input_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN image_input_tokens INTEGER NOT NULL DEFAULT 0;

-- Money budgets set by a server's admins, beside the image limits of quota_overrides.
-- target_id is the role or member id, 0 for the server-wide scopes. period is 'day' (UTC day)
-- or 'month' (UTC calendar month, only for the server's total). budget_micros NULL means
-- unlimited, 0 blocks.
CREATE TABLE budget_overrides (
    guild_id       INTEGER NOT NULL,
    scope          TEXT    NOT NULL CHECK (scope IN ('server', 'server_total', 'role', 'member')),
    target_id      INTEGER NOT NULL DEFAULT 0,
    period         TEXT    NOT NULL DEFAULT 'day' CHECK (period IN ('day', 'month')),
    budget_micros  INTEGER CHECK (budget_micros IS NULL OR budget_micros >= 0),
    set_by         INTEGER NOT NULL,
    set_at         REAL    NOT NULL,
    PRIMARY KEY (guild_id, scope, target_id, period),
    CHECK ((scope IN ('server', 'server_total')) = (target_id = 0)),
    CHECK (period = 'day' OR scope = 'server_total')
) WITHOUT ROWID;
