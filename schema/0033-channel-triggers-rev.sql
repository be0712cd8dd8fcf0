-- 0033: a channel's triggers_rev counts the changes to its proactive triggers. The visitor's authentication reads it
-- with the channel, so a worker keeps each channel's enabled triggers in memory and reads them again only when the
-- number moved (src/domain/insight.c), instead of at every page view.
ALTER TABLE channels ADD COLUMN IF NOT EXISTS triggers_rev INT UNSIGNED NOT NULL DEFAULT 0;
