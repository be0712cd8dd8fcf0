-- 0003: web channels (one per website, with the widget's style and pre-chat form) and their visitors.
-- The channel key is public (it is in every embed snippet); the visitor token is
-- a bearer credential, so only its SHA-256 is stored, as for sessions.

CREATE TABLE IF NOT EXISTS channels (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  `key` VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  allowed_origins TEXT NOT NULL,
  style TEXT NOT NULL,
  prechat_fields TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  deleted_at DATETIME(3) NULL,
  UNIQUE KEY uq_channels_key (`key`),
  KEY ix_channels_tenant (tenant_id, id),
  CONSTRAINT fk_channels_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- attributes are what the host page claims (unverified); identified, name and
-- roles come only from a verified identity (the identity issue fills them).
CREATE TABLE IF NOT EXISTS visitors (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  token_hash CHAR(64) NOT NULL,
  page_url TEXT NULL,
  referrer TEXT NULL,
  locale VARCHAR(35) NULL,
  user_agent VARCHAR(512) NULL,
  attributes TEXT NULL,
  identified TINYINT(1) NOT NULL DEFAULT 0,
  name VARCHAR(200) NULL,
  roles TEXT NULL,
  contact_id BIGINT NULL,
  account_id BIGINT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_seen_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_visitors_token (token_hash),
  KEY ix_visitors_channel (tenant_id, channel_id, id),
  CONSTRAINT fk_visitors_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_visitors_channel FOREIGN KEY (channel_id) REFERENCES channels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
