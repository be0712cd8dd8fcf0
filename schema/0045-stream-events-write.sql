-- 0045: a decision's collected events in one round trip. A batch of starts or closes collects its events (every
-- conversation's status event, the served heads', the head's new positions) and wrote them in three statements inside
-- the rule's lock: the streams' numbers (stream_seqs), the events, the agents' pointers (user_events). Each is a wait
-- and a wake-up of the worker's thread while every other decision under the rule waits for the lock, and the three
-- were a quarter of a close batch's statements. stream_events_write does the three in the caller's transaction (no
-- transaction of its own; an error, a deadlock included, is the CALL's and the caller's db_tx retries it whole).
--
-- p_events: a JSON array of the events in their order, each [conversation_id, type, body, [user_id, ...]] (body:
-- the EVENT without "seq", as a string; the users ascending and distinct, possibly none). Each conversation's stream
-- and each user's stream gets the next numbers in that order, as the one-event-at-a-time writes gave them: the
-- streams are claimed in (kind, stream_id) order ('c' before 'u', ascending: the lock order every claim keeps), each
-- with its count; an event's number is its stream's new head less its events after it in this call; the rows are
-- inserted in the events' order (ids follow it).
CREATE OR REPLACE PROCEDURE stream_events_write(IN p_tenant BIGINT, IN p_events LONGTEXT CHARACTER SET utf8mb4)
  MODIFIES SQL DATA
BEGIN
  INSERT INTO stream_seqs (kind, stream_id, tenant_id, seq)
    SELECT x.kind, x.sid, p_tenant, COUNT(*) FROM (
      SELECT 'c' AS kind, e.conv AS sid
        FROM JSON_TABLE(p_events, '$[*]' COLUMNS (conv BIGINT PATH '$[0]')) e
      UNION ALL
      SELECT 'u', u.uid
        FROM JSON_TABLE(p_events, '$[*]' COLUMNS (NESTED PATH '$[3][*]' COLUMNS (uid BIGINT PATH '$'))) u
        WHERE u.uid IS NOT NULL) x
    GROUP BY x.kind, x.sid ORDER BY x.kind, x.sid
    ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq);
  INSERT INTO events (tenant_id, conversation_id, seq, type, body)
    SELECT p_tenant, e.conv,
      s.seq - COUNT(*) OVER (PARTITION BY e.conv) + ROW_NUMBER() OVER (PARTITION BY e.conv ORDER BY e.idx),
      e.type, e.body
    FROM JSON_TABLE(p_events, '$[*]' COLUMNS (idx FOR ORDINALITY, conv BIGINT PATH '$[0]',
        type VARCHAR(32) CHARACTER SET utf8mb4 PATH '$[1]', body MEDIUMTEXT CHARACTER SET utf8mb4 PATH '$[2]')) e
      JOIN stream_seqs s ON s.kind = 'c' AND s.stream_id = e.conv
    ORDER BY e.idx;
  INSERT INTO user_events (tenant_id, user_id, seq, conversation_id, event_seq)
    SELECT p_tenant, u.uid,
      s.seq - COUNT(*) OVER (PARTITION BY u.uid) + ROW_NUMBER() OVER (PARTITION BY u.uid ORDER BY u.idx),
      u.conv, ev.seq
    FROM JSON_TABLE(p_events, '$[*]' COLUMNS (idx FOR ORDINALITY, conv BIGINT PATH '$[0]',
        NESTED PATH '$[3][*]' COLUMNS (uid BIGINT PATH '$'))) u
      JOIN (SELECT e.idx, c.seq - COUNT(*) OVER (PARTITION BY e.conv)
                + ROW_NUMBER() OVER (PARTITION BY e.conv ORDER BY e.idx) AS seq
            FROM JSON_TABLE(p_events, '$[*]' COLUMNS (idx FOR ORDINALITY, conv BIGINT PATH '$[0]')) e
              JOIN stream_seqs c ON c.kind = 'c' AND c.stream_id = e.conv) ev ON ev.idx = u.idx
      JOIN stream_seqs s ON s.kind = 'u' AND s.stream_id = u.uid
    WHERE u.uid IS NOT NULL
    ORDER BY u.idx, u.uid;
END;
