-- 0007: the CRM object store (custom fields, records, a lookup index), per-channel identity verification, the workbench side panel and quick-send buttons.
--
-- Built-in objects and their fields are defined in code (src/domain/crm.c):
-- they are the same for every tenant and change only with a release. Tenants
-- add fields of their own here (crm_fields).
--
-- Records keep their field values as one JSON object text (crm_records.fields):
-- objects have open-ended, per-tenant field sets, so a column per field is out.
-- Lookups by field value (phone, full_name + phone for identity matching,
-- account_id/contact_id for the side panel and quick-send filters, the CRM's
-- ?field.x= filters) go through crm_field_index, one row per scalar field
-- value, written in the same transaction as the record. Why a side table and
-- not generated columns over JSON_VALUE: it covers every field, custom ones
-- included, with one index shape, and a lookup is a range scan on its primary
-- key (tenant, object, field, value) that stays a few page reads at a million
-- records per object; generated columns would need one column and one index
-- per field name, decided at schema time. Values are indexed by their first
-- 191 characters (utf8mb4 index limit); the store re-checks the full value.

CREATE TABLE IF NOT EXISTS crm_fields (
  tenant_id BIGINT NOT NULL,
  object VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  label VARCHAR(200) NOT NULL,
  type ENUM('text','number','date','ref') NOT NULL,
  ref_object VARCHAR(64) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (tenant_id, object, name),
  CONSTRAINT fk_crm_fields_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS crm_records (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  object VARCHAR(64) NOT NULL,
  external_id VARCHAR(200) NOT NULL,
  owner_user_id BIGINT NULL,
  fields MEDIUMTEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_crm_records_external (tenant_id, object, external_id),
  KEY ix_crm_records_list (tenant_id, object, id),
  CONSTRAINT fk_crm_records_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Exact values compare with utf8mb4_bin: a phone or an id is not
-- case-folded or accent-folded.
CREATE TABLE IF NOT EXISTS crm_field_index (
  tenant_id BIGINT NOT NULL,
  object VARCHAR(64) NOT NULL,
  field VARCHAR(64) NOT NULL,
  value VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  record_id BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, object, field, value, record_id),
  KEY ix_crm_field_index_record (record_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which WebImVisitorObj record stands for a widget visitor (many visitor
-- tokens of one person map to one record). Kept here so the visitors table
-- stays the channel code's.
CREATE TABLE IF NOT EXISTS crm_visitor_records (
  visitor_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  record_id BIGINT NOT NULL,
  KEY ix_crm_visitor_records_record (tenant_id, record_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Identity verification settings of a channel; no row = disabled, defaults.
CREATE TABLE IF NOT EXISTS identity_settings (
  channel_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  enabled TINYINT(1) NOT NULL DEFAULT 0,
  match_fields TEXT NOT NULL,
  auto_link TINYINT(1) NOT NULL DEFAULT 0,
  contact_fields TEXT NOT NULL,
  require_v2 TINYINT(1) NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_identity_settings_tenant (tenant_id),
  CONSTRAINT fk_identity_settings_channel FOREIGN KEY (channel_id) REFERENCES channels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Key generations. The live one has retired_at NULL; generating a new one
-- retires the previous in the same transaction, so at most one is live and a
-- v2 token's kid names exactly one generation. The key must be shown again
-- on request (reveal), so it is stored as is, not hashed.
CREATE TABLE IF NOT EXISTS identity_keys (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  generation INT NOT NULL,
  kid VARCHAR(32) NOT NULL,
  secret VARCHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  retired_at DATETIME(3) NULL,
  UNIQUE KEY uq_identity_keys_kid (channel_id, kid),
  KEY ix_identity_keys_live (tenant_id, channel_id, retired_at),
  CONSTRAINT fk_identity_keys_channel FOREIGN KEY (channel_id) REFERENCES channels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- v2 token ids already used, kept until the token would have expired anyway
-- (after that the token itself is refused by its exp).
CREATE TABLE IF NOT EXISTS identity_jtis (
  channel_id BIGINT NOT NULL,
  jti_hash CHAR(64) NOT NULL,
  expires_at DATETIME NOT NULL,
  PRIMARY KEY (channel_id, jti_hash),
  KEY ix_identity_jtis_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The workbench side panel: {"objects":[{"object","fields":[...]}]} as validated JSON.
CREATE TABLE IF NOT EXISTS sidebar_settings (
  tenant_id BIGINT NOT NULL PRIMARY KEY,
  config TEXT NOT NULL,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_sidebar_settings_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS quick_buttons (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  icon VARCHAR(500) NOT NULL,
  channel_ids TEXT NOT NULL,
  visible_roles TEXT NOT NULL,
  object VARCHAR(64) NOT NULL,
  filter TEXT NOT NULL,
  template TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_quick_buttons_tenant (tenant_id, id),
  CONSTRAINT fk_quick_buttons_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
