-- Budgets in money (issue 11), as sqlite/0003_budgets.sql. All money is whole micro-dollars.
ALTER TABLE jobs ADD COLUMN cost_estimate_micros BIGINT NOT NULL DEFAULT 0 CHECK (cost_estimate_micros >= 0);
ALTER TABLE jobs ADD COLUMN cost_micros BIGINT NOT NULL DEFAULT 0 CHECK (cost_micros >= 0);
ALTER TABLE jobs ADD COLUMN cost_basis TEXT CHECK (cost_basis IN ('usage', 'estimate', 'per_image'));
ALTER TABLE jobs ADD COLUMN text_input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN image_input_tokens BIGINT NOT NULL DEFAULT 0;

CREATE TABLE budget_overrides (
    guild_id       BIGINT  NOT NULL,
    scope          TEXT    NOT NULL CHECK (scope IN ('server', 'server_total', 'role', 'member')),
    target_id      BIGINT  NOT NULL DEFAULT 0,
    period         TEXT    NOT NULL DEFAULT 'day' CHECK (period IN ('day', 'month')),
    budget_micros  BIGINT  CHECK (budget_micros IS NULL OR budget_micros >= 0),
    set_by         BIGINT  NOT NULL,
    set_at         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, scope, target_id, period),
    CHECK ((scope IN ('server', 'server_total')) = (target_id = 0)),
    CHECK (period = 'day' OR scope = 'server_total')
);
