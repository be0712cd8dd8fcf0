-- 0022: visitor insight (docs/visitor-insight.md): the per-channel tracking switch, what a visitor's browser says,
-- page views, who is live now, the visitor's own event stream, invitations and proactive triggers.
--
-- visitor_live holds only the visitors live now (a row is removed by the sweep when live_until passes), so the
-- live list is a short range scan of (tenant_id, seen_at) whatever the number of visitors ever seen; seen_at
-- (the last page view or the appearance) is the "most recent first" order and the paging key.
-- user_events.body: an agent's stream entry that is not a conversation's event (a visitor appearing, changing
-- or leaving: conversation_id 0) carries its EVENT itself.
-- trigger_due: a trigger waiting for its after_seconds on a page; the sweep claims a row by deleting it, so
-- each fires at most once whatever the number of workers.

ALTER TABLE channels ADD COLUMN IF NOT EXISTS tracking TINYINT(1) NOT NULL DEFAULT 0;

ALTER TABLE visitors ADD COLUMN IF NOT EXISTS browser VARCHAR(24) NULL,
  ADD COLUMN IF NOT EXISTS browser_version VARCHAR(16) NULL,
  ADD COLUMN IF NOT EXISTS os VARCHAR(16) NULL,
  ADD COLUMN IF NOT EXISTS device VARCHAR(8) NULL,
  ADD COLUMN IF NOT EXISTS address VARCHAR(45) NULL,
  ADD COLUMN IF NOT EXISTS pages_viewed INT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS sessions INT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS last_page_at DATETIME(3) NULL;

-- Notices are kept minutes, not forever (a workbench away longer loads the list again): created_at, set on notices
-- only, and the key the sweep trims them by.
ALTER TABLE user_events ADD COLUMN IF NOT EXISTS body MEDIUMTEXT NULL,
  ADD COLUMN IF NOT EXISTS created_at DATETIME(3) NULL,
  ADD KEY IF NOT EXISTS ix_user_events_notices (conversation_id, created_at);

CREATE TABLE IF NOT EXISTS pageviews (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  visitor_id BIGINT NOT NULL,
  url VARCHAR(2000) NOT NULL,
  title VARCHAR(500) NULL,
  referrer VARCHAR(2000) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_pageviews_visitor (tenant_id, visitor_id, id),
  KEY ix_pageviews_retention (tenant_id, created_at),
  CONSTRAINT fk_pageviews_visitor FOREIGN KEY (visitor_id) REFERENCES visitors (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS visitor_live (
  visitor_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  pageview_id BIGINT NOT NULL DEFAULT 0,     -- the page they are on (0: none reported)
  page_since DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  appeared_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  seen_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  live_until DATETIME(3) NOT NULL,
  KEY ix_visitor_live_list (tenant_id, seen_at, visitor_id),
  KEY ix_visitor_live_until (live_until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS visitor_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  visitor_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  type VARCHAR(32) NOT NULL,
  body MEDIUMTEXT NOT NULL,          -- the EVENT object without "seq"
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_visitor_events_stream (tenant_id, visitor_id, seq),
  KEY ix_visitor_events_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS visitor_triggers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  match_json TEXT NOT NULL,
  after_seconds INT NOT NULL DEFAULT 0,
  text VARCHAR(2000) NOT NULL,
  once_per_hours INT NOT NULL DEFAULT 24,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_visitor_triggers_channel (tenant_id, channel_id, id),
  CONSTRAINT fk_visitor_triggers_channel FOREIGN KEY (channel_id) REFERENCES channels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS invitations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  visitor_id BIGINT NOT NULL,
  user_id BIGINT NULL,               -- the inviting agent; NULL for a trigger
  trigger_id BIGINT NULL,
  text VARCHAR(2000) NULL,           -- NULL once erased or past retention
  status ENUM('sent','dismissed','accepted') NOT NULL DEFAULT 'sent',
  conversation_id BIGINT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_invitations_visitor (tenant_id, visitor_id, id),
  KEY ix_invitations_trigger (tenant_id, trigger_id, visitor_id, created_at),
  KEY ix_invitations_created (tenant_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS trigger_due (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  trigger_id BIGINT NOT NULL,
  visitor_id BIGINT NOT NULL,
  pageview_id BIGINT NOT NULL,
  due_at DATETIME(3) NOT NULL,
  KEY ix_trigger_due (due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
