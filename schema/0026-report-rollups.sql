-- 0026: what keeps the reports fast with millions of messages (README, "Reports at scale"; bench/reports).
-- report_message_counts: each conversation's visitor and agent messages, added up by the housekeeping job
-- report_rollup (domain/report-rollup.c) from the messages past report_rollup_marks.last_id, in batches. The
-- message path writes nothing more. A report adds the counts of its conversations to a live count of the
-- messages past the mark (one statement, one snapshot), so its figure is exact whether the job is behind or not.
-- A run moves the mark and adds its batch in one transaction holding the mark's row: a batch is counted once,
-- whichever worker ran it and however often a run is retried.
-- ix_conversations_report_cover: every column a report reads from conversations (store-reports.c), after the
-- tenant, the start and the id (the order reports read in), so a range of days is read from the index alone (no row lookup per conversation); it
-- takes the place of 0021's (tenant_id, created_at), its prefix.
-- created_at is the conversation's (it never changes): a report without filters sums a range of this index.
CREATE TABLE IF NOT EXISTS report_message_counts (
  conversation_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  visitor INT NOT NULL DEFAULT 0,
  agent INT NOT NULL DEFAULT 0,
  KEY ix_report_message_counts (tenant_id, created_at, visitor, agent)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS report_rollup_marks (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  last_id BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Existing messages are rolled up by the job from the start, batch by batch.
INSERT IGNORE INTO report_rollup_marks (name, last_id) VALUES ('messages', 0);

ALTER TABLE conversations
  ADD KEY IF NOT EXISTS ix_conversations_report_cover (tenant_id, created_at, id, first_assigned_at,
    first_agent_message_at, closed_at, channel_id, group_id, agent_user_id, transfers, closed_from, unserved, status),
  DROP KEY IF EXISTS ix_conversations_report;
