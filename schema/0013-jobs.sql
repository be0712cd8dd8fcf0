-- 0013: periodic jobs (queue drain, presence sweep, purges...): one row per job, claimed by one
-- worker per run whatever the number of workers and hosts. A worker runs a job only when its guarded
-- UPDATE (WHERE name = ? AND next_run_at <= NOW(6)) changed the row: a plain row update, so it holds
-- on a Galera cluster too (no GET_LOCK, no long-held lock). Not tenant data: a job serves every tenant.
CREATE TABLE IF NOT EXISTS jobs (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  next_run_at DATETIME(6) NOT NULL DEFAULT '1970-01-01 00:00:01',
  owner VARCHAR(128) NOT NULL DEFAULT '',
  last_run_at DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
