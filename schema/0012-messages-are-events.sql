-- 0012: a message is its own event. Its row in messages already carries its seq in the
-- conversation's stream; now that seq is unique per conversation like an event's, and readers make
-- the message's EVENT from the row. events keeps every other kind of event. A message so costs
-- one row and one statement less, and its text is stored once.
DELETE FROM events WHERE type = 'message';
ALTER TABLE messages ADD UNIQUE KEY IF NOT EXISTS uq_messages_stream (tenant_id, conversation_id, seq),
  DROP KEY IF EXISTS ix_messages_conversation;
