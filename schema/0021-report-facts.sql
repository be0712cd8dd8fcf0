-- 0021: the facts reports need (docs/reports.md), recorded when they happen rather than reconstructed.
--
-- On conversations, each set once by the statement that already writes the change (no extra statement on the
-- message path except one guarded UPDATE for a batch that holds an agent's message):
--  first_assigned_at       the first time it was given to an agent (assigned_at is the latest; a transfer moves it);
--  first_agent_message_at  the first message an agent sent in it (system messages never count);
--  transfers               how many times it was transferred (to an agent or to a group's queue);
--  closed_from             its status at the moment it was closed ('queued' and never assigned: missed);
--  unserved                'offline' or 'out_of_hours' when it was ever answered so (nobody available, hours closed).
-- agent_status_log: every change of a staff member's status (online/away/offline), for online and away time.
-- Rows before this migration: first_assigned_at is their assigned_at, first_agent_message_at read from messages,
-- unserved from a current offline/out_of_hours status, closed_from unknown (NULL: not missed), and each user's
-- current status from status_changed_at opens their log.

ALTER TABLE conversations
  ADD COLUMN IF NOT EXISTS first_assigned_at DATETIME(3) NULL AFTER assigned_at,
  ADD COLUMN IF NOT EXISTS first_agent_message_at DATETIME(3) NULL AFTER first_assigned_at,
  ADD COLUMN IF NOT EXISTS transfers INT NOT NULL DEFAULT 0 AFTER first_agent_message_at,
  ADD COLUMN IF NOT EXISTS closed_from ENUM('assigned','queued','offline','out_of_hours') NULL AFTER closed_by_user_id,
  ADD COLUMN IF NOT EXISTS unserved ENUM('offline','out_of_hours') NULL AFTER closed_from,
  ADD KEY IF NOT EXISTS ix_conversations_report (tenant_id, created_at);

UPDATE conversations SET first_assigned_at = assigned_at WHERE first_assigned_at IS NULL AND assigned_at IS NOT NULL;
UPDATE conversations c SET c.first_agent_message_at = (SELECT MIN(m.created_at) FROM messages m
  WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.sender = 'agent')
  WHERE c.first_agent_message_at IS NULL AND c.first_assigned_at IS NOT NULL;
UPDATE conversations SET unserved = status WHERE unserved IS NULL AND status IN ('offline', 'out_of_hours');

ALTER TABLE leave_messages ADD KEY IF NOT EXISTS ix_leave_messages_report (tenant_id, created_at);

CREATE TABLE IF NOT EXISTS agent_status_log (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  status ENUM('online','away','offline') NOT NULL,
  at DATETIME(3) NOT NULL,
  KEY ix_agent_status_log (tenant_id, user_id, at),
  CONSTRAINT fk_agent_status_log_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO agent_status_log (tenant_id, user_id, status, at)
  SELECT u.tenant_id, u.id, u.status, u.status_changed_at FROM users u
  WHERE NOT EXISTS (SELECT 1 FROM agent_status_log l WHERE l.tenant_id = u.tenant_id AND l.user_id = u.id);
