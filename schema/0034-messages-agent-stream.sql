-- 0034: a message is its own entry in its agent's stream, as it is its own event in its conversation's (0012).
-- A message that an agent is told of carries that agent and its place in the agent's stream (the 'u' numbers of
-- stream_seqs, shared with user_events); readers merge these rows with user_events by that place. Writing a
-- message so costs one index entry instead of a user_events row with three, and one statement less a batch.
-- user_events rows written for messages before this stay and are read as before.
--
-- That index entry is paid for by the attachment key, which no query reads (messages are found by their
-- streams, never by attachment): it existed only for the foreign key, and a text message (nearly all of them)
-- wrote a NULL entry into it. The attachment is written in the same transaction just before its message, and
-- neither table's rows are ever deleted (privacy and retention blank them), so the check guarded nothing.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS stream_user_id BIGINT NULL,
  ADD COLUMN IF NOT EXISTS stream_user_seq BIGINT NULL,
  ADD UNIQUE KEY IF NOT EXISTS uq_messages_user_stream (tenant_id, stream_user_id, stream_user_seq);
ALTER TABLE messages DROP FOREIGN KEY IF EXISTS fk_messages_attachment;
ALTER TABLE messages DROP INDEX IF EXISTS fk_messages_attachment;
