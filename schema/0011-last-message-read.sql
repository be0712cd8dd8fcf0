-- 0011: a conversation's last message is read from messages when a list needs it (one dive into
-- ix_messages_conversation) instead of being kept on the conversation row. Posting a message then
-- writes no conversation row: one statement less per batch of messages, and no row that every
-- message of a conversation must update.
ALTER TABLE conversations DROP COLUMN IF EXISTS last_message_id, DROP COLUMN IF EXISTS last_message_at;
