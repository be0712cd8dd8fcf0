-- 0045: a decision's collected events in one round trip. A batch of starts or closes collects its events (every
-- conversation's status event, the served heads', the head's new positions) and wrote them in three statements inside
-- the rule's lock: the streams' numbers (stream_seqs), the events, the agents' pointers (user_events). Each is a wait
-- and a wake-up of the worker's thread while every other decision under the rule waits for the lock, and the three
-- were a quarter of a close batch's statements. stream_events_write runs the same three in the caller's transaction
-- (no transaction of its own; an error, a deadlock included, is the CALL's, and the caller's db_tx retries it whole).
--
-- The caller numbers everything but the streams' heads, which only the claim learns (store-events.c,
-- db_stream_events_write); so the statements are plain joins on primary keys (a first version numbered the rows
-- here with ROW_NUMBER() over the call's events and cost MariaDB twice the CPU of the three statements):
--   p_claims  [[kind, stream_id, count], ...]: distinct, in (kind, stream_id) order, the lock order of every claim
--             ('c' conversations before 'u' users, each ascending), as db_streams_claim takes them;
--   p_events  [[conversation_id, k, n, type, body], ...] in the order they are to be numbered: the k-th of this
--             call's n events of that conversation gets its stream's new head - n + k;
--   p_users   [[user_id, k, n, conversation_id, ck, cn], ...]: the pointer that is the k-th of n in the user's
--             stream, to the event that is the ck-th of cn of the conversation's; '[]' for none.
CREATE OR REPLACE PROCEDURE stream_events_write(IN p_tenant BIGINT, IN p_claims LONGTEXT CHARACTER SET utf8mb4,
  IN p_events LONGTEXT CHARACTER SET utf8mb4, IN p_users LONGTEXT CHARACTER SET utf8mb4)
  MODIFIES SQL DATA
BEGIN
  INSERT INTO stream_seqs (kind, stream_id, tenant_id, seq)
    SELECT j.kind, j.sid, p_tenant, j.n
    FROM JSON_TABLE(p_claims, '$[*]' COLUMNS (kind CHAR(1) CHARACTER SET utf8mb4 PATH '$[0]', sid BIGINT PATH '$[1]',
        n BIGINT PATH '$[2]')) j
    ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq);
  INSERT INTO events (tenant_id, conversation_id, seq, type, body)
    SELECT p_tenant, e.conv, s.seq - e.n + e.k, e.type, e.body
    FROM JSON_TABLE(p_events, '$[*]' COLUMNS (conv BIGINT PATH '$[0]', k BIGINT PATH '$[1]', n BIGINT PATH '$[2]',
        type VARCHAR(32) CHARACTER SET utf8mb4 PATH '$[3]', body MEDIUMTEXT CHARACTER SET utf8mb4 PATH '$[4]')) e
      STRAIGHT_JOIN stream_seqs s ON s.kind = 'c' AND s.stream_id = e.conv;
  IF p_users <> '[]' THEN
    INSERT INTO user_events (tenant_id, user_id, seq, conversation_id, event_seq)
      SELECT p_tenant, u.uid, s.seq - u.n + u.k, u.conv, c.seq - u.cn + u.ck
      FROM JSON_TABLE(p_users, '$[*]' COLUMNS (uid BIGINT PATH '$[0]', k BIGINT PATH '$[1]', n BIGINT PATH '$[2]',
          conv BIGINT PATH '$[3]', ck BIGINT PATH '$[4]', cn BIGINT PATH '$[5]')) u
        STRAIGHT_JOIN stream_seqs s ON s.kind = 'u' AND s.stream_id = u.uid
        STRAIGHT_JOIN stream_seqs c ON c.kind = 'c' AND c.stream_id = u.conv;
  END IF;
END;
