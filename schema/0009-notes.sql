-- 0009: internal notes on conversations (the note a transfer carries to its receiver). Kept off the
-- conversation's event stream on purpose: the visitor's widget reads that stream, and a note is for staff only.
CREATE TABLE IF NOT EXISTS conversation_notes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  conversation_id BIGINT NOT NULL,
  author_user_id BIGINT NULL,
  kind ENUM('transfer','note') NOT NULL DEFAULT 'note',
  text TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_notes_conversation (tenant_id, conversation_id, id),
  CONSTRAINT fk_notes_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
