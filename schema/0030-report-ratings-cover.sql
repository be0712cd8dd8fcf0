-- 0030: the ratings a report reads (store-reports.c: every rating of the tenant since the range's start, its
-- conversation and score) from one index alone: (tenant_id, created_at) plus the score; the primary key,
-- conversation_id, is in every secondary index. It takes the place of 0008's ix_ratings_report, its prefix.
ALTER TABLE ratings
  ADD KEY IF NOT EXISTS ix_ratings_report_cover (tenant_id, created_at, score),
  DROP KEY IF EXISTS ix_ratings_report;
