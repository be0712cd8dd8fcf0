-- 0018: outbound mail: users' e-mail addresses, and the mail outbox kefu-webhookd sends from.
--
-- A mail row is queued in the transaction of the change it reports (a left message), like a webhook's
-- outbox row, so a mail goes out if and only if the change committed. It names what to render (kind and
-- ref_id: a leave message) and whom to send it to; kefu-webhookd renders the templates when it sends, from
-- the data as it is then. So the outbox holds no copy of what the visitor wrote: a leave message erased or
-- purged before its mail went out sends nothing. Claimed with FOR UPDATE SKIP LOCKED and a lease, as
-- webhook_outbox is.

ALTER TABLE users ADD COLUMN IF NOT EXISTS email VARCHAR(254) NULL AFTER name,
  -- A daily mail listing the open left messages (opt-in); leave_digest_at: when the last one was queued.
  ADD COLUMN IF NOT EXISTS leave_digest TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS leave_digest_at DATETIME(3) NULL;

CREATE TABLE IF NOT EXISTS mail_outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  kind VARCHAR(32) NOT NULL,              -- leave_message | leave_digest: the templates mail-<kind>*.xhtml
  ref_id BIGINT NOT NULL,                 -- leave_message: the leave message's id; leave_digest: the user's
  to_user_id BIGINT NULL,                 -- the staff member notified (NULL: an address typed by a visitor)
  to_addr VARCHAR(254) NOT NULL,          -- the address when queued
  to_name VARCHAR(200) NULL,
  lang VARCHAR(16) NULL,                  -- the recipient's language setting (NULL: the default)
  status ENUM('pending','sent','failed') NOT NULL DEFAULT 'pending',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  lease_until DATETIME(3) NULL,           -- a sender is working on it until then
  last_error VARCHAR(500) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  sent_at DATETIME(3) NULL,
  KEY ix_mail_outbox_due (status, next_attempt_at),
  KEY ix_mail_outbox_tenant (tenant_id, kind, ref_id),
  CONSTRAINT fk_mail_outbox_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
