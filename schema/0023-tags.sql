-- 0023: tags on conversations. A tenant keeps one vocabulary (tags): agents tag conversations from it and may add a
-- new tag while tagging (as Intercom's teammates do), admins rename and remove; history and reports filter by tag
-- through conversation_tags (tenant_id, tag_id, conversation_id).
CREATE TABLE IF NOT EXISTS tags (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  name VARCHAR(64) NOT NULL,
  color VARCHAR(7) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_tags_name (tenant_id, name),
  CONSTRAINT fk_tags_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS conversation_tags (
  tenant_id BIGINT NOT NULL,
  conversation_id BIGINT NOT NULL,
  tag_id BIGINT NOT NULL,
  added_by BIGINT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (conversation_id, tag_id),
  KEY ix_conversation_tags_tag (tenant_id, tag_id, conversation_id),
  CONSTRAINT fk_conversation_tags_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id),
  CONSTRAINT fk_conversation_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
