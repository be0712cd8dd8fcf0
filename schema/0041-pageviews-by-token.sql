-- 0041: many page views in one round trip. A worker's page views are parked (src/domain/insight.c) and written
-- together by one thread: each view still had a call of its own (0040's pageview_by_token), so a request thread slept
-- through a round trip and was woken for every view. pageviews_by_token takes the views of a batch as a JSON array,
-- one object a view: "h" the token's hash, "o" the origin as pageview_by_token takes it (absent: acceptable whatever
-- the channel's list), "u", "t", "r" url, title and referrer, "b", "bv", "os", "d", "a" the browser facts and address,
-- "g" 1 when a GeoIP database answered (then "co" and "ci"). Each view is read and written as pageview_by_token does,
-- in a transaction of its own (pageview_write's, committed before the next view is read: no view's row locks are
-- held while another is written, and every view answered is committed). A view whose write fails (a deadlock, a
-- lock wait timeout) is rolled back, answered with status 3, and the batch goes on: the worker writes it again
-- alone. The answer: one row per view whose visitor was found, its first column the view's place in the array (from
-- 1), then the visitor as the workers' token lookup reads them (store-visitors.c, AUTH_COLUMNS), the page view's id
-- and its status (0 not recorded, 1 recorded, 2 over the rate limit, 3 failed).
CREATE OR REPLACE PROCEDURE pageviews_by_token(
  IN p_views LONGTEXT CHARACTER SET utf8mb4,
  IN p_max INT, IN p_window_s INT, IN p_gap_s INT, IN p_live_s INT)
  MODIFIES SQL DATA
BEGIN
  DECLARE v_done TINYINT DEFAULT 0;
  DECLARE v_n INT;
  DECLARE v_hash, v_origin, v_url, v_title, v_referrer, v_browser, v_browser_version, v_os, v_device, v_address,
    v_country, v_city TEXT CHARACTER SET utf8mb4;
  DECLARE v_geo TINYINT;
  DECLARE v_tenant, v_channel, v_visitor, v_id BIGINT;
  DECLARE v_ok, v_status, v_appeared TINYINT;
  DECLARE v_out LONGTEXT CHARACTER SET utf8mb4 DEFAULT '[]';
  DECLARE c CURSOR FOR
    SELECT j.n, j.h, j.o, j.u, j.t, j.r, j.b, j.bv, j.os, j.d, j.a, j.g, j.co, j.ci
      FROM JSON_TABLE(p_views, '$[*]' COLUMNS (
        n FOR ORDINALITY,
        h TEXT CHARACTER SET utf8mb4 PATH '$.h', o TEXT CHARACTER SET utf8mb4 PATH '$.o',
        u TEXT CHARACTER SET utf8mb4 PATH '$.u', t TEXT CHARACTER SET utf8mb4 PATH '$.t',
        r TEXT CHARACTER SET utf8mb4 PATH '$.r', b TEXT CHARACTER SET utf8mb4 PATH '$.b',
        bv TEXT CHARACTER SET utf8mb4 PATH '$.bv', os TEXT CHARACTER SET utf8mb4 PATH '$.os',
        d TEXT CHARACTER SET utf8mb4 PATH '$.d', a TEXT CHARACTER SET utf8mb4 PATH '$.a',
        g TINYINT PATH '$.g' DEFAULT '0' ON EMPTY, co TEXT CHARACTER SET utf8mb4 PATH '$.co',
        ci TEXT CHARACTER SET utf8mb4 PATH '$.ci')) j;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  OPEN c;
  views: LOOP
    FETCH c INTO v_n, v_hash, v_origin, v_url, v_title, v_referrer, v_browser, v_browser_version, v_os, v_device,
      v_address, v_geo, v_country, v_city;
    IF v_done THEN
      LEAVE views;
    END IF;
    SET v_ok = 0, v_id = 0, v_status = 0;
    BEGIN
      -- pageview_write has rolled its transaction back; the worker writes this view again on its own.
      DECLARE EXIT HANDLER FOR SQLEXCEPTION SET v_status = 3;
      BEGIN
        DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_ok = 0;
        SELECT v.tenant_id, v.channel_id, v.id,
            ch.tracking <> 0 AND (v_origin IS NULL OR EXISTS (SELECT 1 FROM JSON_TABLE(ch.allowed_origins, '$[*]'
              COLUMNS (o TEXT CHARACTER SET utf8mb4 PATH '$')) j WHERE BINARY j.o = BINARY v_origin))
          INTO v_tenant, v_channel, v_visitor, v_ok
          FROM visitors v
          JOIN channels ch FORCE INDEX (PRIMARY) ON ch.id = v.channel_id AND ch.tenant_id = v.tenant_id
            AND ch.deleted_at IS NULL
          WHERE v.token_hash = v_hash COLLATE utf8mb4_unicode_ci;
      END;
      IF v_ok THEN
        CALL pageview_write(v_tenant, v_channel, v_visitor, v_url, v_title, v_referrer, p_max, p_window_s, p_gap_s,
          p_live_s, v_browser, v_browser_version, v_os, v_device, v_address, v_geo, v_country, v_city, v_id,
          v_appeared);
        SET v_status = IF(v_id > 0, 1, 2);
      END IF;
    END;
    SET v_out = JSON_ARRAY_APPEND(v_out, '$', JSON_ARRAY(v_n, v_id, v_status));
    -- The handler above may have left the cursor's flag set by a NOT FOUND inside the write (none is expected).
    SET v_done = 0;
  END LOOP;
  CLOSE c;
  SELECT i.n, v.id, v.tenant_id, v.channel_id, v.contact_id, v.account_id, v.identified, v.name,
      COALESCE(v.roles, '["guest"]'), v.page_url, v.referrer, v.locale, v.user_agent, v.attributes,
      v.created_at, v.last_seen_at, ch.allowed_origins, ch.`key`, ch.prechat_fields, v.token_hash, ch.tracking,
      ch.triggers_rev, TIMESTAMPDIFF(MICROSECOND, NOW(3), (SELECT l.live_until FROM visitor_live l
        WHERE l.visitor_id = v.id AND l.tenant_id = v.tenant_id)) DIV 1000,
      o.id, o.st
    FROM JSON_TABLE(p_views, '$[*]' COLUMNS (n FOR ORDINALITY, h TEXT CHARACTER SET utf8mb4 PATH '$.h')) i
    JOIN JSON_TABLE(v_out, '$[*]' COLUMNS (n INT PATH '$[0]', id BIGINT PATH '$[1]', st INT PATH '$[2]')) o
      ON o.n = i.n
    JOIN visitors v ON v.token_hash = i.h COLLATE utf8mb4_unicode_ci
    JOIN channels ch FORCE INDEX (PRIMARY) ON ch.id = v.channel_id AND ch.tenant_id = v.tenant_id
      AND ch.deleted_at IS NULL;
END;
