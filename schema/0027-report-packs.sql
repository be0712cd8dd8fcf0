-- 0027: report packs (what keeps the 30-day reports fast at a million conversations; docs/reports.md, README
-- "Reports at scale") and the index the status log's retention purge walks.
-- report_packs: per tenant and 15-minute bucket of start (bucket_ms, UTC milliseconds; 15 minutes so that every
-- zone's midnight, half- and quarter-hour offsets included, is a bucket edge), the report facts of every
-- conversation that started in it (the columns store-reports.c reads: ids, times, flags, transfers), packed by
-- domain/report-packs.c into one compact blob. A bucket is packed only when it is over and all its conversations
-- are closed: a closed conversation's facts do not change any more, so a pack stays exact. Ratings, which may
-- come later, are still read live.
-- report_pack_marks: per tenant, the bucket up to which the job has looked (next_ms): below it every bucket is
-- packed (or empty) except those in report_pack_pending (a conversation still open then), which the job
-- retries. A report reads packs below the mark, and the conversations of pending buckets and those past the
-- mark live, so its figures are the same as a read of every conversation (tests/integration/reports-packs).
-- A run holds the tenant's mark row while it moves it: one worker's run at a time (exactly once per bucket).
CREATE TABLE IF NOT EXISTS report_packs (
  tenant_id BIGINT NOT NULL,
  bucket_ms BIGINT NOT NULL,
  n INT NOT NULL,
  data MEDIUMBLOB NOT NULL,
  PRIMARY KEY (tenant_id, bucket_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS report_pack_marks (
  tenant_id BIGINT NOT NULL PRIMARY KEY,
  next_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS report_pack_pending (
  tenant_id BIGINT NOT NULL,
  bucket_ms BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, bucket_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The retention purge of agent_status_log (domain/retention.c) finds a tenant's old rows by time.
ALTER TABLE agent_status_log ADD KEY IF NOT EXISTS ix_agent_status_log_at (tenant_id, at);
