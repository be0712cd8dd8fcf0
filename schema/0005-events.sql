-- 0005: event streams. Every change a client must see is a row here, written in
-- the same transaction as the change. Conversation streams are dense per
-- conversation (events.seq); an agent's stream is dense per user (user_events.seq).
-- stream_seqs hands out the next number under a row lock, so concurrent writers
-- to one stream queue behind each other instead of colliding.

CREATE TABLE IF NOT EXISTS stream_seqs (
  kind CHAR(1) NOT NULL,            -- 'c' conversation, 'u' user
  stream_id BIGINT NOT NULL,
  tenant_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (kind, stream_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  conversation_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  type VARCHAR(32) NOT NULL,
  body MEDIUMTEXT NOT NULL,          -- the EVENT object of api.md without "seq"
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_events_seq (conversation_id, seq),
  KEY ix_events_tenant (tenant_id, conversation_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS user_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  conversation_id BIGINT NOT NULL,
  event_seq BIGINT NOT NULL,         -- events (conversation_id, seq)
  UNIQUE KEY uq_user_events_seq (user_id, seq),
  KEY ix_user_events_tenant (tenant_id, user_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
