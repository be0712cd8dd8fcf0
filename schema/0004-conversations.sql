-- 0004: conversations between a visitor and an agent, their messages, and uploaded attachments.
-- A conversation is "open" while assigned or queued; a visitor holds at most one
-- open conversation per channel (uq_conversations_open over a generated column
-- that is NULL otherwise, since NULLs never clash). Read state is kept per side as
-- the last conversation-stream seq that side has seen (messages.seq), so unread
-- counts are a range count on ix_messages_unread.

CREATE TABLE IF NOT EXISTS conversations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  visitor_id BIGINT NOT NULL,
  status ENUM('assigned','queued','offline','out_of_hours','closed') NOT NULL DEFAULT 'queued',
  agent_user_id BIGINT NULL,
  group_id BIGINT NULL,
  rule_id BIGINT NULL,
  prechat TEXT NOT NULL,                  -- JSON object, validated against the channel's prechat_fields
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  assigned_at DATETIME(3) NULL,
  closed_at DATETIME(3) NULL,
  closed_by ENUM('visitor','agent','system') NULL,
  closed_by_user_id BIGINT NULL,
  last_message_id BIGINT NULL,
  last_message_at DATETIME(3) NULL,
  visitor_read_seq BIGINT NOT NULL DEFAULT 0,
  agent_read_seq BIGINT NOT NULL DEFAULT 0,
  open_visitor_id BIGINT AS (IF(status IN ('assigned','queued'), visitor_id, NULL)) PERSISTENT,
  UNIQUE KEY uq_conversations_open (channel_id, open_visitor_id),
  KEY ix_conversations_visitor (tenant_id, visitor_id, id),
  KEY ix_conversations_agent (tenant_id, agent_user_id, status),
  KEY ix_conversations_status (tenant_id, status, id),
  CONSTRAINT fk_conversations_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_conversations_channel FOREIGN KEY (channel_id) REFERENCES channels (id),
  CONSTRAINT fk_conversations_visitor FOREIGN KEY (visitor_id) REFERENCES visitors (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Attachments live in the database like everything else (workers keep no
-- files). access_token is a random capability put in the attachment's URL,
-- because an <img> tag cannot send X-Visitor-Token; it grants reading this
-- one file and nothing else.
CREATE TABLE IF NOT EXISTS attachments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  conversation_id BIGINT NOT NULL,
  name VARCHAR(255) NOT NULL,
  mime VARCHAR(100) NOT NULL,             -- sniffed from the bytes, never the client's claim
  size BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  access_token VARCHAR(64) NOT NULL,
  data LONGBLOB NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_attachments_conversation (tenant_id, conversation_id),
  CONSTRAINT fk_attachments_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- seq is the conversation-stream seq of the message's event (0 until appended).
CREATE TABLE IF NOT EXISTS messages (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  conversation_id BIGINT NOT NULL,
  seq BIGINT NOT NULL DEFAULT 0,
  sender ENUM('visitor','agent','system') NOT NULL,
  agent_user_id BIGINT NULL,
  kind ENUM('text','image','file','card') NOT NULL,
  text MEDIUMTEXT NULL,
  attachment_id BIGINT NULL,
  card TEXT NULL,                         -- JSON object for kind card
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_messages_conversation (tenant_id, conversation_id, id),
  KEY ix_messages_unread (conversation_id, sender, seq),
  CONSTRAINT fk_messages_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id),
  CONSTRAINT fk_messages_attachment FOREIGN KEY (attachment_id) REFERENCES attachments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
