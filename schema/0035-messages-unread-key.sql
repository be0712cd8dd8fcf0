-- 0035: a message row writes one index entry less, and no foreign-key check. ix_messages_unread
-- (conversation_id, sender, seq) served one query, the agents' conversation list's unread counts, and
-- the foreign key on conversation_id; that count now reads uq_messages_stream (tenant_id,
-- conversation_id, seq) from the agent's last read seq on, the tenant added (every other read of
-- messages by conversation already did). The foreign key guarded nothing a post does not: a message is
-- written in the transaction that has locked its conversation (a post's locking read, a start's INSERT),
-- and conversations are never deleted (privacy and retention blank rows, as 0034 says of attachments).
ALTER TABLE messages DROP FOREIGN KEY IF EXISTS fk_messages_conversation;
ALTER TABLE messages DROP INDEX IF EXISTS ix_messages_unread;
