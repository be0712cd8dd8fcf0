-- 0037: a page view is one round trip. Its three writes (the page view, guarded by the visitor's rate limit; the
-- visitor's counters and browser facts with their visitor_live row; that row created when the visitor was not
-- live) and their transaction were five round trips from a worker (START TRANSACTION, three statements, COMMIT),
-- each a wait and two context switches on both sides; browsing visitors send one every 30 s or so, so at 20,000 of
-- them these round trips were the largest part of the workers' CPU. The procedure runs the same statements in the
-- same transaction, on the server, and answers the page view's id (0: over the rate limit, nothing written) and
-- whether the visitor appeared. A failure rolls back and is raised to the caller as it was (a deadlock or a
-- Galera certification failure is retried by store-insight.c).
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
  DECLARE v_found BIGINT DEFAULT 0;
  DECLARE v_appeared TINYINT DEFAULT 0;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  -- The rate limit is the INSERT's own condition: the newest p_max views by ix_pageviews_visitor, counted within
  -- the window.
  INSERT INTO pageviews (tenant_id, channel_id, visitor_id, url, title, referrer)
    SELECT p_tenant, p_channel, p_visitor, p_url, p_title, p_referrer FROM DUAL
    WHERE (SELECT COUNT(*) FROM
            (SELECT created_at FROM pageviews WHERE tenant_id = p_tenant AND visitor_id = p_visitor
             ORDER BY id DESC LIMIT p_max) x
           WHERE created_at > NOW(3) - INTERVAL p_window_s SECOND) < p_max;
  IF ROW_COUNT() > 0 THEN
    SET v_id = LAST_INSERT_ID();
    -- The visitor's counters and facts, and their visitor_live row when they are live, in one statement: it
    -- matches 2 rows then, 1 when only the visitor's.
    UPDATE visitors v LEFT JOIN visitor_live l ON l.visitor_id = v.id AND l.tenant_id = v.tenant_id
        AND l.live_until > NOW(3)
      SET v.pages_viewed = v.pages_viewed + 1,
        v.sessions = v.sessions + IF(v.last_page_at IS NULL OR v.last_page_at < NOW(3) - INTERVAL p_gap_s SECOND, 1, 0),
        v.last_page_at = NOW(3), v.last_seen_at = NOW(3), v.page_url = p_url,
        v.browser = COALESCE(p_browser, v.browser), v.browser_version = COALESCE(p_browser_version, v.browser_version),
        v.os = COALESCE(p_os, v.os), v.device = COALESCE(p_device, v.device), v.address = COALESCE(p_address, v.address),
        v.country = IF(p_geo, p_country, v.country), v.city = IF(p_geo, p_city, v.city),
        l.pageview_id = v_id, l.page_since = NOW(3), l.seen_at = NOW(3),
        l.live_until = GREATEST(l.live_until, NOW(3) + INTERVAL p_live_s SECOND)
      WHERE v.tenant_id = p_tenant AND v.id = p_visitor;
    SET v_found = ROW_COUNT();
    IF v_found < 2 THEN
      -- Not live (no row, or one the sweep has not removed yet): a new appearance.
      INSERT INTO visitor_live (visitor_id, tenant_id, channel_id, pageview_id, live_until)
        VALUES (p_visitor, p_tenant, p_channel, v_id, NOW(3) + INTERVAL p_live_s SECOND)
        ON DUPLICATE KEY UPDATE pageview_id = VALUES(pageview_id), page_since = NOW(3),
          appeared_at = NOW(3), seen_at = NOW(3), live_until = VALUES(live_until);
      SET v_appeared = 1;
    END IF;
  END IF;
  COMMIT;
  SELECT v_id, v_appeared;
END;
