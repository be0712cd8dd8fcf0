-- 0016: privacy: each tenant's retention periods, and the marks that erase and retention leave on what they blank.
--
-- Message rows are never deleted, only blanked (text and card NULL, removed_at set): a message's row is its event
-- in the conversation's stream (0012), agents' streams point at it by seq (user_events), and reports count
-- messages by sender. An attachment keeps its metadata row (messages point at it) and loses its bytes.
-- The (tenant_id, removed_at, created_at) keys let housekeeping find a batch of old, not yet blanked rows by a
-- range scan, whatever the size of the table.

CREATE TABLE IF NOT EXISTS retention_settings (
  tenant_id BIGINT NOT NULL PRIMARY KEY,
  messages_days INT NOT NULL DEFAULT 0,      -- 0: keep forever
  attachments_days INT NOT NULL DEFAULT 0,
  pageviews_days INT NOT NULL DEFAULT 0,
  leave_messages_days INT NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_retention_settings_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE messages ADD COLUMN IF NOT EXISTS removed_at DATETIME(3) NULL,
  ADD KEY IF NOT EXISTS ix_messages_retention (tenant_id, removed_at, created_at);
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS removed_at DATETIME(3) NULL,
  ADD KEY IF NOT EXISTS ix_attachments_retention (tenant_id, removed_at, created_at);
ALTER TABLE leave_messages ADD KEY IF NOT EXISTS ix_leave_messages_created (tenant_id, created_at),
  ADD KEY IF NOT EXISTS ix_leave_messages_visitor (tenant_id, visitor_id);
-- An erased visitor keeps its row (conversations refer to it) without anything that identifies the person;
-- erased_at says why it is empty.
ALTER TABLE visitors ADD COLUMN IF NOT EXISTS erased_at DATETIME(3) NULL;
