-- 0008: the complete workbench: webhooks to the CRM (subscriptions, an outbox written in the change's transaction, delivery attempts), canned replies, ratings, conversation groups, agent presence.

-- A tenant's webhook subscriptions. events is a comma-separated subset of
-- conversation.created, conversation.assigned, conversation.closed,
-- leave_message.created, visitor.identified (validated in domain/webhooks.c).
CREATE TABLE IF NOT EXISTS webhooks (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  url VARCHAR(2000) NOT NULL,
  secret VARCHAR(200) NOT NULL,           -- HMAC-SHA256 key for X-Kefu-Signature
  events VARCHAR(500) NOT NULL,
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  deleted_at DATETIME(3) NULL,
  KEY ix_webhooks_tenant (tenant_id, deleted_at),
  CONSTRAINT fk_webhooks_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per (event, subscribed webhook), inserted in the transaction of the
-- change it reports, so an event is delivered if and only if the change
-- committed. The row id is the delivery id (X-Kefu-Delivery): a receiver
-- deduplicates on it. kefu-webhookd claims due rows with FOR UPDATE SKIP
-- LOCKED and moves them to delivered or, after the last attempt, failed.
CREATE TABLE IF NOT EXISTS webhook_outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  webhook_id BIGINT NOT NULL,
  event VARCHAR(64) NOT NULL,
  body MEDIUMTEXT NOT NULL,               -- the exact bytes POSTed (and signed)
  status ENUM('pending','delivered','failed') NOT NULL DEFAULT 'pending',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  lease_until DATETIME(3) NULL,           -- a sender is working on it until then
  last_status INT NULL,
  last_error VARCHAR(500) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  delivered_at DATETIME(3) NULL,
  KEY ix_webhook_outbox_due (status, next_attempt_at),
  KEY ix_webhook_outbox_tenant (tenant_id, webhook_id, id),
  CONSTRAINT fk_webhook_outbox_webhook FOREIGN KEY (webhook_id) REFERENCES webhooks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS webhook_attempts (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  outbox_id BIGINT NOT NULL,
  attempt INT NOT NULL,
  status_code INT NULL,                   -- NULL: no HTTP answer (refused, timeout)
  error VARCHAR(500) NULL,
  duration_ms INT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_webhook_attempts_outbox (tenant_id, outbox_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Canned replies: owner_user_id NULL = tenant-wide (managed by admins),
-- otherwise one agent's own.
CREATE TABLE IF NOT EXISTS canned_replies (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  owner_user_id BIGINT NULL,
  shortcut VARCHAR(64) NOT NULL,
  title VARCHAR(200) NOT NULL,
  text TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_canned_tenant (tenant_id, owner_user_id, shortcut),
  CONSTRAINT fk_canned_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One rating per conversation (the primary key makes "once" a constraint).
CREATE TABLE IF NOT EXISTS ratings (
  conversation_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  agent_user_id BIGINT NULL,              -- the agent who held it at close
  score TINYINT NOT NULL,
  comment TEXT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_ratings_report (tenant_id, created_at),
  CONSTRAINT fk_ratings_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS conversation_groups (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  priority INT NOT NULL DEFAULT 100,
  match_json TEXT NOT NULL,               -- "all" or {"all": [COND, ...]}
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_cgroups_tenant (tenant_id, priority, id),
  CONSTRAINT fk_cgroups_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Presence: when each agent's workbench last polled and last saw activity
-- (the presence sweep turns idle agents away and silent ones offline), and
-- the tenant's thresholds. Kept apart from users so a poll never locks the
-- users row the assignment engine locks.
CREATE TABLE IF NOT EXISTS agent_presence (
  user_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  last_poll_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_active_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  auto_away TINYINT(1) NOT NULL DEFAULT 0, -- the sweep set away (activity brings them back)
  KEY ix_presence_poll (last_poll_at),
  CONSTRAINT fk_presence_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS presence_settings (
  tenant_id BIGINT NOT NULL PRIMARY KEY,
  away_after_s INT NOT NULL DEFAULT 600,   -- 0: never
  offline_after_s INT NOT NULL DEFAULT 90, -- no poll for this long → offline
  CONSTRAINT fk_presence_settings_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
