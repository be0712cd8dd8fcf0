-- 0040: a page view is one round trip with its token. A page view read its visitor by token (one statement, shared
-- with the lookups arriving together) and then called pageview_record (0037): two waits and wake-ups of the worker's
-- thread a view, and the token read was as much of the workers' CPU as the call (perf at 20,000 browsing visitors).
-- pageview_by_token reads the visitor by the token's hash, records the view (pageview_write below, whose writes
-- pageview_record now calls too: one copy of them in the database) when the visitor's channel tracks visitors and
-- p_origin is in its allowed_origins (p_origin NULL: the caller found the request's origin acceptable whatever the
-- channel's list), and answers the visitor as the workers' token lookup reads them (store-visitors.c, AUTH_COLUMNS,
-- in that order) with the page view's id (0 when nothing was written) and what happened: 0 not recorded (not found,
-- tracking off, the origin not listed: the worker decides the answer from the row, as for any widget call), 1
-- recorded, 2 over the rate limit. No row: no such visitor, or their channel was deleted. A failure rolls back and
-- is raised as it was.

-- A page view's writes, as 0037 introduced them (the page view, guarded by the visitor's rate limit; the visitor's
-- counters and facts with their visitor_live row; that row created when the visitor was not live), in one
-- transaction, once for both procedures below: o_id is the page view's id (0: over the rate limit, nothing written),
-- o_appeared whether the visitor was not live before. A failure rolls back and is raised as it was.
CREATE OR REPLACE PROCEDURE pageview_write(
  IN p_tenant BIGINT, IN p_channel BIGINT, IN p_visitor BIGINT,
  IN p_url TEXT CHARACTER SET utf8mb4, IN p_title TEXT CHARACTER SET utf8mb4, IN p_referrer TEXT CHARACTER SET utf8mb4,
  IN p_max INT, IN p_window_s INT, IN p_gap_s INT, IN p_live_s INT,
  IN p_browser TEXT CHARACTER SET utf8mb4, IN p_browser_version TEXT CHARACTER SET utf8mb4,
  IN p_os TEXT CHARACTER SET utf8mb4, IN p_device TEXT CHARACTER SET utf8mb4, IN p_address TEXT CHARACTER SET utf8mb4,
  IN p_geo TINYINT, IN p_country TEXT CHARACTER SET utf8mb4, IN p_city TEXT CHARACTER SET utf8mb4,
  OUT o_id BIGINT, OUT o_appeared TINYINT)
  MODIFIES SQL DATA
BEGIN
  DECLARE v_found BIGINT DEFAULT 0;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  SET o_id = 0, o_appeared = 0;
  START TRANSACTION;
  INSERT INTO pageviews (tenant_id, channel_id, visitor_id, url, title, referrer)
    SELECT p_tenant, p_channel, p_visitor, p_url, p_title, p_referrer FROM DUAL
    WHERE (SELECT COUNT(*) FROM
            (SELECT created_at FROM pageviews WHERE tenant_id = p_tenant AND visitor_id = p_visitor
             ORDER BY id DESC LIMIT p_max) x
           WHERE created_at > NOW(3) - INTERVAL p_window_s SECOND) < p_max;
  IF ROW_COUNT() > 0 THEN
    SET o_id = LAST_INSERT_ID();
    UPDATE visitors v LEFT JOIN visitor_live l ON l.visitor_id = v.id AND l.tenant_id = v.tenant_id
        AND l.live_until > NOW(3)
      SET v.pages_viewed = v.pages_viewed + 1,
        v.sessions = v.sessions + IF(v.last_page_at IS NULL OR v.last_page_at < NOW(3) - INTERVAL p_gap_s SECOND, 1, 0),
        v.last_page_at = NOW(3), v.last_seen_at = NOW(3), v.page_url = p_url,
        v.browser = COALESCE(p_browser, v.browser), v.browser_version = COALESCE(p_browser_version, v.browser_version),
        v.os = COALESCE(p_os, v.os), v.device = COALESCE(p_device, v.device), v.address = COALESCE(p_address, v.address),
        v.country = IF(p_geo, p_country, v.country), v.city = IF(p_geo, p_city, v.city),
        l.pageview_id = o_id, l.page_since = NOW(3), l.seen_at = NOW(3),
        l.live_until = GREATEST(l.live_until, NOW(3) + INTERVAL p_live_s SECOND)
      WHERE v.tenant_id = p_tenant AND v.id = p_visitor;
    SET v_found = ROW_COUNT();
    IF v_found < 2 THEN
      INSERT INTO visitor_live (visitor_id, tenant_id, channel_id, pageview_id, live_until)
        VALUES (p_visitor, p_tenant, p_channel, o_id, NOW(3) + INTERVAL p_live_s SECOND)
        ON DUPLICATE KEY UPDATE pageview_id = VALUES(pageview_id), page_since = NOW(3),
          appeared_at = NOW(3), seen_at = NOW(3), live_until = VALUES(live_until);
      SET o_appeared = 1;
    END IF;
  END IF;
  COMMIT;
END;

-- 0037's procedure, its writes now pageview_write's: the same answer (the page view's id, whether the visitor
-- appeared).
CREATE OR REPLACE PROCEDURE pageview_record(
  IN p_tenant BIGINT, IN p_channel BIGINT, IN p_visitor BIGINT,
  IN p_url TEXT CHARACTER SET utf8mb4, IN p_title TEXT CHARACTER SET utf8mb4, IN p_referrer TEXT CHARACTER SET utf8mb4,
  IN p_max INT, IN p_window_s INT, IN p_gap_s INT, IN p_live_s INT,
  IN p_browser TEXT CHARACTER SET utf8mb4, IN p_browser_version TEXT CHARACTER SET utf8mb4,
  IN p_os TEXT CHARACTER SET utf8mb4, IN p_device TEXT CHARACTER SET utf8mb4, IN p_address TEXT CHARACTER SET utf8mb4,
  IN p_geo TINYINT, IN p_country TEXT CHARACTER SET utf8mb4, IN p_city TEXT CHARACTER SET utf8mb4)
  MODIFIES SQL DATA
BEGIN
  DECLARE v_id BIGINT DEFAULT 0;
  DECLARE v_appeared TINYINT DEFAULT 0;
  CALL pageview_write(p_tenant, p_channel, p_visitor, p_url, p_title, p_referrer, p_max, p_window_s, p_gap_s, p_live_s,
    p_browser, p_browser_version, p_os, p_device, p_address, p_geo, p_country, p_city, v_id, v_appeared);
  SELECT v_id, v_appeared;
END;

CREATE OR REPLACE PROCEDURE pageview_by_token(
  IN p_hash TEXT CHARACTER SET utf8mb4, IN p_origin TEXT CHARACTER SET utf8mb4,
  IN p_url TEXT CHARACTER SET utf8mb4, IN p_title TEXT CHARACTER SET utf8mb4, IN p_referrer TEXT CHARACTER SET utf8mb4,
  IN p_max INT, IN p_window_s INT, IN p_gap_s INT, IN p_live_s INT,
  IN p_browser TEXT CHARACTER SET utf8mb4, IN p_browser_version TEXT CHARACTER SET utf8mb4,
  IN p_os TEXT CHARACTER SET utf8mb4, IN p_device TEXT CHARACTER SET utf8mb4, IN p_address TEXT CHARACTER SET utf8mb4,
  IN p_geo TINYINT, IN p_country TEXT CHARACTER SET utf8mb4, IN p_city TEXT CHARACTER SET utf8mb4)
  MODIFIES SQL DATA
BEGIN
  DECLARE v_tenant BIGINT DEFAULT 0;
  DECLARE v_channel BIGINT DEFAULT 0;
  DECLARE v_visitor BIGINT DEFAULT 0;
  DECLARE v_ok TINYINT DEFAULT 0;
  DECLARE v_id BIGINT DEFAULT 0;
  DECLARE v_status TINYINT DEFAULT 0;
  DECLARE v_appeared TINYINT DEFAULT 0;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  -- No such visitor: nothing read into the variables, and no warning left behind.
  BEGIN
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_ok = 0;
    -- The origin as channel_origin_allowed (src/domain/channels.c) takes it: one of the list's strings, byte for
    -- byte. The worker checks the row it is answered again, so this may only be stricter than that.
    SELECT v.tenant_id, v.channel_id, v.id,
        ch.tracking <> 0 AND (p_origin IS NULL OR EXISTS (SELECT 1 FROM JSON_TABLE(ch.allowed_origins, '$[*]'
          COLUMNS (o TEXT CHARACTER SET utf8mb4 PATH '$')) j WHERE BINARY j.o = BINARY p_origin))
      INTO v_tenant, v_channel, v_visitor, v_ok
      FROM visitors v
      JOIN channels ch FORCE INDEX (PRIMARY) ON ch.id = v.channel_id AND ch.tenant_id = v.tenant_id
        AND ch.deleted_at IS NULL
      WHERE v.token_hash = p_hash COLLATE utf8mb4_unicode_ci;
  END;
  IF v_ok THEN
    CALL pageview_write(v_tenant, v_channel, v_visitor, p_url, p_title, p_referrer, p_max, p_window_s, p_gap_s,
      p_live_s, p_browser, p_browser_version, p_os, p_device, p_address, p_geo, p_country, p_city, v_id, v_appeared);
    SET v_status = IF(v_id > 0, 1, 2);
  END IF;
  SELECT v.id, v.tenant_id, v.channel_id, v.contact_id, v.account_id, v.identified, v.name,
      COALESCE(v.roles, '["guest"]'), v.page_url, v.referrer, v.locale, v.user_agent, v.attributes,
      v.created_at, v.last_seen_at, ch.allowed_origins, ch.`key`, ch.prechat_fields, v.token_hash, ch.tracking,
      ch.triggers_rev, TIMESTAMPDIFF(MICROSECOND, NOW(3), (SELECT l.live_until FROM visitor_live l
        WHERE l.visitor_id = v.id AND l.tenant_id = v.tenant_id)) DIV 1000,
      v_id, v_status
    FROM visitors v
    JOIN channels ch FORCE INDEX (PRIMARY) ON ch.id = v.channel_id AND ch.tenant_id = v.tenant_id
      AND ch.deleted_at IS NULL
    WHERE v.token_hash = p_hash COLLATE utf8mb4_unicode_ci;
END;
