-- 0025: a key generated in the console is shown once, on the page the generating form redirects to
-- (POST-redirect-GET: a refresh never generates again); show_once_to is the user it is still to be shown to.
ALTER TABLE identity_keys ADD COLUMN IF NOT EXISTS show_once_to BIGINT NULL;
