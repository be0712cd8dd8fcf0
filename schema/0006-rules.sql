-- 0006: assignment rules, the engine's bookkeeping (per-rule lock, agent load, round-robin cursors, queues) and left messages.
-- The rule document (routing, messages, leave-message form) is kept as the
-- canonical JSON the API validated; the columns beside it are what queries
-- select on. Every assignment decision under a rule first locks that rule's
-- assign_state row, so decisions under one rule serialise and cannot pass
-- each other (design.md's invariants); agent_load.live is only changed under
-- that lock, so it is exact, and a checker can compare it with COUNT(*) of
-- the assigned conversations.

CREATE TABLE IF NOT EXISTS rules (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  priority INT NOT NULL,
  max_concurrent INT NOT NULL,
  require_identity TINYINT(1) NOT NULL DEFAULT 0,
  strategy VARCHAR(16) NOT NULL,
  doc MEDIUMTEXT NOT NULL,            -- the canonical api.md rule document (without id)
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_rules_tenant (tenant_id, priority, id),
  CONSTRAINT fk_rules_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which channels a rule lists; rule selection is one indexed join.
CREATE TABLE IF NOT EXISTS rule_channels (
  tenant_id BIGINT NOT NULL,
  rule_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  PRIMARY KEY (rule_id, channel_id),
  KEY ix_rule_channels_channel (tenant_id, channel_id),
  CONSTRAINT fk_rule_channels_rule FOREIGN KEY (rule_id) REFERENCES rules (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per (tenant, rule); rule_id 0 is the tenant's default (no rule
-- lists the channel). Locked FOR UPDATE first by every decision under the
-- rule: the serialisation point.
CREATE TABLE IF NOT EXISTS assign_state (
  tenant_id BIGINT NOT NULL,
  rule_id BIGINT NOT NULL,
  decisions BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, rule_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An agent's load under a rule: live = its assigned conversations of the
-- rule now; assigned_today counts assignments on `day` (the group's local
-- date at the last assignment), reset when the day changes.
CREATE TABLE IF NOT EXISTS agent_load (
  tenant_id BIGINT NOT NULL,
  rule_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  live INT NOT NULL DEFAULT 0,
  assigned_today INT NOT NULL DEFAULT 0,
  day DATE NULL,
  last_assigned_at DATETIME(3) NULL,
  PRIMARY KEY (tenant_id, rule_id, user_id),
  KEY ix_agent_load_user (tenant_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Round robin: the member last given a conversation in the group.
CREATE TABLE IF NOT EXISTS rr_cursors (
  tenant_id BIGINT NOT NULL,
  group_id BIGINT NOT NULL,
  last_user_id BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Waiting conversations. FIFO per (rule, group) by id: entries are inserted
-- under the rule's lock, so id order is arrival order. owner_user_id set:
-- the conversation waits for that owner only (owner_fallback "queue").
-- position is the last queue_position sent, so only changes are sent.
CREATE TABLE IF NOT EXISTS queue_entries (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  rule_id BIGINT NOT NULL,
  group_id BIGINT NOT NULL,
  conversation_id BIGINT NOT NULL,
  owner_user_id BIGINT NULL,
  position INT NOT NULL DEFAULT 0,
  enqueued_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_queue_conversation (conversation_id),
  KEY ix_queue_order (tenant_id, rule_id, group_id, id),
  KEY ix_queue_group (tenant_id, group_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS leave_messages (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  visitor_id BIGINT NULL,
  rule_id BIGINT NULL,
  fields TEXT NOT NULL,               -- JSON object, validated against the rule's form
  status ENUM('open','handled') NOT NULL DEFAULT 'open',
  handled_by BIGINT NULL,
  note TEXT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  handled_at DATETIME(3) NULL,
  KEY ix_leave_messages_status (tenant_id, status, id),
  CONSTRAINT fk_leave_messages_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
