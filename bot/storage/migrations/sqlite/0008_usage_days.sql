-- Issue 15, performance: what a whole server reserved and spent, per day, kept up to date by
-- triggers. A reservation checks the server's images of the day and, with budgets, its costs of
-- the day and of the month. Summed from the jobs, even through the covering index of 0007, that
-- read every job of the day (of the month, with a monthly budget): 0.3 ms with none, 0.75-1.1 ms
-- with 4,000 on SQLite, and thirty times as many rows for the month. Read here, it is one row
-- (at most 31 for the month), however busy the server is.
--
-- The triggers keep the sums exact whatever changes a job's images or cost (a reservation, a
-- settlement, a refund, a discarded job): each change adds its difference in the same
-- transaction. Direct messages have no server and no row here.
CREATE TABLE usage_days (
    guild_id    INTEGER NOT NULL,
    quota_day   TEXT NOT NULL,
    images      INTEGER NOT NULL DEFAULT 0,
    cost_micros INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, quota_day)
) WITHOUT ROWID;

INSERT INTO usage_days (guild_id, quota_day, images, cost_micros)
SELECT guild_id, quota_day, SUM(images_reserved), SUM(cost_micros) FROM jobs
WHERE guild_id IS NOT NULL GROUP BY guild_id, quota_day;

CREATE TRIGGER jobs_usage_days_insert AFTER INSERT ON jobs WHEN NEW.guild_id IS NOT NULL
BEGIN
    INSERT INTO usage_days (guild_id, quota_day, images, cost_micros)
    VALUES (NEW.guild_id, NEW.quota_day, NEW.images_reserved, NEW.cost_micros)
    ON CONFLICT (guild_id, quota_day) DO UPDATE
    SET images = images + excluded.images, cost_micros = cost_micros + excluded.cost_micros;
END;

CREATE TRIGGER jobs_usage_days_update AFTER UPDATE OF images_reserved, cost_micros, guild_id, quota_day ON jobs
WHEN (OLD.guild_id IS NOT NULL OR NEW.guild_id IS NOT NULL)
    AND (OLD.images_reserved IS NOT NEW.images_reserved OR OLD.cost_micros IS NOT NEW.cost_micros
        OR OLD.guild_id IS NOT NEW.guild_id OR OLD.quota_day IS NOT NEW.quota_day)
BEGIN
    UPDATE usage_days SET images = images - OLD.images_reserved, cost_micros = cost_micros - OLD.cost_micros
    WHERE guild_id = OLD.guild_id AND quota_day = OLD.quota_day;
    INSERT INTO usage_days (guild_id, quota_day, images, cost_micros)
    SELECT NEW.guild_id, NEW.quota_day, NEW.images_reserved, NEW.cost_micros WHERE NEW.guild_id IS NOT NULL
    ON CONFLICT (guild_id, quota_day) DO UPDATE
    SET images = images + excluded.images, cost_micros = cost_micros + excluded.cost_micros;
END;

CREATE TRIGGER jobs_usage_days_delete AFTER DELETE ON jobs WHEN OLD.guild_id IS NOT NULL
BEGIN
    UPDATE usage_days SET images = images - OLD.images_reserved, cost_micros = cost_micros - OLD.cost_micros
    WHERE guild_id = OLD.guild_id AND quota_day = OLD.quota_day;
END;
