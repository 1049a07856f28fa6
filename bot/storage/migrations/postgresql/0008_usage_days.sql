-- The PostgreSQL twin of sqlite/0008_usage_days.sql: what a whole server reserved and spent, per
-- day, kept up to date by a trigger, so that a reservation reads one row (at most 31 for a
-- monthly budget) instead of every job of the day or of the month.
--
-- The function's body is a quoted string, not dollar-quoted: the migrations are split into
-- statements by SQLite's rules (bot.storage.schema.split_statements), which know no dollar quotes.
-- Every job write of one server and day updates its one row here, so those writes queue on that
-- row's lock until their transactions commit; they are short (one job's state change each).
-- No job is written from here to the end of this migration: processes still on the old code go
-- on writing jobs while a new one migrates, and a write between the fill below and the triggers
-- would be missed for good. (CREATE TRIGGER takes this lock anyway; taken first, the fill sees
-- every job committed before it and none can come after it unseen.)
LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE usage_days (
    guild_id    BIGINT NOT NULL,
    quota_day   TEXT COLLATE "C" NOT NULL,
    images      BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, quota_day)
);

INSERT INTO usage_days (guild_id, quota_day, images, cost_micros)
SELECT guild_id, quota_day, SUM(images_reserved), SUM(cost_micros) FROM jobs
WHERE guild_id IS NOT NULL GROUP BY guild_id, quota_day;

CREATE FUNCTION jobs_usage_days() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
    IF TG_OP <> ''INSERT'' AND OLD.guild_id IS NOT NULL THEN
        UPDATE usage_days SET images = images - OLD.images_reserved, cost_micros = cost_micros - OLD.cost_micros
        WHERE guild_id = OLD.guild_id AND quota_day = OLD.quota_day;
    END IF;
    IF TG_OP <> ''DELETE'' AND NEW.guild_id IS NOT NULL THEN
        INSERT INTO usage_days (guild_id, quota_day, images, cost_micros)
        VALUES (NEW.guild_id, NEW.quota_day, NEW.images_reserved, NEW.cost_micros)
        ON CONFLICT (guild_id, quota_day) DO UPDATE
        SET images = usage_days.images + EXCLUDED.images, cost_micros = usage_days.cost_micros + EXCLUDED.cost_micros;
    END IF;
    RETURN NULL;
END';

-- CREATE TRIGGER inside a DO block, for the same reason: SQLite's rules would wait for a BEGIN.
DO '
BEGIN
    CREATE TRIGGER jobs_usage_days_insert AFTER INSERT ON jobs
    FOR EACH ROW WHEN (NEW.guild_id IS NOT NULL) EXECUTE FUNCTION jobs_usage_days();
    CREATE TRIGGER jobs_usage_days_update AFTER UPDATE OF images_reserved, cost_micros, guild_id, quota_day ON jobs
    FOR EACH ROW WHEN ((OLD.guild_id IS NOT NULL OR NEW.guild_id IS NOT NULL)
        AND (OLD.images_reserved IS DISTINCT FROM NEW.images_reserved
            OR OLD.cost_micros IS DISTINCT FROM NEW.cost_micros
            OR OLD.guild_id IS DISTINCT FROM NEW.guild_id OR OLD.quota_day IS DISTINCT FROM NEW.quota_day))
    EXECUTE FUNCTION jobs_usage_days();
    CREATE TRIGGER jobs_usage_days_delete AFTER DELETE ON jobs
    FOR EACH ROW WHEN (OLD.guild_id IS NOT NULL) EXECUTE FUNCTION jobs_usage_days();
END';
