# schema: numbered migrations, installed for kefuctl migrate.
nobase_dist_pkgdata_DATA += \
	schema/0001-tenants-users.sql \
	schema/0002-organisation.sql \
	schema/0005-events.sql
nobase_dist_pkgdata_DATA += schema/0003-channels-visitors.sql
nobase_dist_pkgdata_DATA += schema/0004-conversations.sql
nobase_dist_pkgdata_DATA += schema/0007-crm.sql
nobase_dist_pkgdata_DATA += schema/0006-rules.sql
nobase_dist_pkgdata_DATA += schema/0008-workbench.sql
nobase_dist_pkgdata_DATA += schema/0009-notes.sql
nobase_dist_pkgdata_DATA += schema/0010-stream-indexes.sql
nobase_dist_pkgdata_DATA += schema/0011-last-message-read.sql
nobase_dist_pkgdata_DATA += schema/0012-messages-are-events.sql
nobase_dist_pkgdata_DATA += schema/0016-privacy.sql
nobase_dist_pkgdata_DATA += schema/0013-jobs.sql
nobase_dist_pkgdata_DATA += schema/0018-mail.sql
nobase_dist_pkgdata_DATA += schema/0020-mail-channel-transcript.sql
nobase_dist_pkgdata_DATA += schema/0023-tags.sql
nobase_dist_pkgdata_DATA += schema/0022-visitor-insight.sql
nobase_dist_pkgdata_DATA += schema/0021-report-facts.sql
nobase_dist_pkgdata_DATA += schema/0024-presence-alerts.sql
nobase_dist_pkgdata_DATA += schema/0025-identity-key-show-once.sql
nobase_dist_pkgdata_DATA += schema/0026-report-rollups.sql
nobase_dist_pkgdata_DATA += schema/0027-report-packs.sql
nobase_dist_pkgdata_DATA += schema/0028-visitor-live-order.sql
nobase_dist_pkgdata_DATA += schema/0029-visitor-address-geo.sql
nobase_dist_pkgdata_DATA += schema/0030-report-ratings-cover.sql
nobase_dist_pkgdata_DATA += schema/0033-channel-triggers-rev.sql
nobase_dist_pkgdata_DATA += schema/0034-messages-agent-stream.sql
nobase_dist_pkgdata_DATA += schema/0035-messages-unread-key.sql
nobase_dist_pkgdata_DATA += schema/0037-pageview-procedure.sql
nobase_dist_pkgdata_DATA += schema/0040-pageview-by-token.sql
nobase_dist_pkgdata_DATA += schema/0041-pageviews-by-token.sql
