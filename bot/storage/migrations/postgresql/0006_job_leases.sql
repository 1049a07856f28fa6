-- The PostgreSQL twin of sqlite/0006_job_leases.sql.
-- Issue 14, "Outgrow one process": a job (and a request received but not yet a job) is held by
-- one process at a time, under a lease that process renews. When the lease runs out (the process
-- died or stopped), another process takes the row over with the rules of a restart.
-- lease_owner names the process; lease_expires_at is epoch seconds. NULL (rows from before this
-- migration) counts as expired.
ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_at DOUBLE PRECISION;
ALTER TABLE intake ADD COLUMN lease_owner TEXT;
ALTER TABLE intake ADD COLUMN lease_expires_at DOUBLE PRECISION;

-- What a sweep looks at: jobs not over yet, and jobs whose member is still to be told.
CREATE INDEX jobs_by_lease ON jobs (lease_expires_at)
    WHERE state IN ('queued', 'running', 'submitted', 'delivering') OR notice IS NOT NULL;
