-- 0010: one index per event stream instead of two. A conversation (or user) belongs to one
-- tenant, so (tenant_id, conversation_id, seq) is as unique as (conversation_id, seq) and serves
-- every tenant-scoped read too; each appended event then maintains one secondary index, not two.
-- The new key is added before the old ones go, so the streams are never unguarded.
CREATE UNIQUE INDEX IF NOT EXISTS uq_events_stream ON events (tenant_id, conversation_id, seq);
DROP INDEX IF EXISTS uq_events_seq ON events;
DROP INDEX IF EXISTS ix_events_tenant ON events;

CREATE UNIQUE INDEX IF NOT EXISTS uq_user_events_stream ON user_events (tenant_id, user_id, seq);
DROP INDEX IF EXISTS uq_user_events_seq ON user_events;
DROP INDEX IF EXISTS ix_user_events_tenant ON user_events;
