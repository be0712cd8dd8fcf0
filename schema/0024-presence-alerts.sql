-- 0024: how long a conversation may wait unanswered before the workbench marks it (a tenant setting beside the
-- presence thresholds), and each agent's own alert preferences (the repeating sound for unanswered conversations).

ALTER TABLE presence_settings ADD COLUMN IF NOT EXISTS long_wait_s INT NOT NULL DEFAULT 60;

-- One row per user who changed a preference; no row: the defaults (sound on).
CREATE TABLE IF NOT EXISTS agent_prefs (
  user_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  alert_sound TINYINT(1) NOT NULL DEFAULT 1,
  KEY ix_agent_prefs_tenant (tenant_id),
  CONSTRAINT fk_agent_prefs_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
