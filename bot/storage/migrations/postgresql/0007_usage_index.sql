-- Issue 15, performance: a reservation sums today's images (and, with budgets, the month's
-- costs) of the member and of the whole server. The index on (guild_id, quota_day, user_id)
-- found the rows, but each one was then read from the table: a reservation cost grew with the
-- server's jobs of the day (0.7 ms with none, 2.1 ms with 3,000 on SQLite). With the summed
-- columns in the index, the sums read the index alone.
DROP INDEX jobs_by_guild_day_user;
CREATE INDEX jobs_usage_by_guild_day ON jobs (guild_id, quota_day, user_id, images_reserved, cost_micros);
