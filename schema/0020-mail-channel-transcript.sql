-- 0020: a channel's own notification address for left messages, and the visitor's transcript mail.
--
-- channels.notify_email: left messages on the channel are mailed there as well as to its groups' members
-- with an address (NULL: nobody extra). A transcript a visitor asks for at close is a mail_outbox row of
-- kind 'transcript' whose ref_id is the conversation; it is rendered from the messages when it is sent, so
-- a message erased or purged in between is not mailed; ix_mail_outbox_tenant
-- (tenant_id, kind, ref_id) counts a conversation's transcript mails for their limit (src/domain/mail.h).

ALTER TABLE channels ADD COLUMN IF NOT EXISTS notify_email VARCHAR(254) NULL AFTER prechat_fields;
