# src/store: the database connection and all SQL, one file per table family.
libkefu_a_SOURCES += \
	%reldir%/db.c %reldir%/db.h \
	%reldir%/migrate.c %reldir%/migrate.h \
	%reldir%/store-rows.c %reldir%/store-rows.h \
	%reldir%/store-apikeys.c %reldir%/store-apikeys.h \
	%reldir%/store-events.c %reldir%/store-events.h \
	%reldir%/store-ratelimit.c %reldir%/store-ratelimit.h \
	%reldir%/store-sessions.c %reldir%/store-sessions.h \
	%reldir%/store-tenants.c %reldir%/store-tenants.h \
	%reldir%/store-users.c %reldir%/store-users.h
libkefu_a_SOURCES += %reldir%/store-channels.c %reldir%/store-channels.h %reldir%/store-visitors.c %reldir%/store-visitors.h
libkefu_a_SOURCES += %reldir%/store-insight.c %reldir%/store-insight.h
libkefu_a_SOURCES += \
	%reldir%/store-audit.c %reldir%/store-audit.h \
	%reldir%/store-departments.c %reldir%/store-departments.h \
	%reldir%/store-groups.c %reldir%/store-groups.h
libkefu_a_SOURCES += %reldir%/store-conversations.c %reldir%/store-conversations.h %reldir%/store-messages.c %reldir%/store-messages.h %reldir%/store-attachments.c %reldir%/store-attachments.h
libkefu_a_SOURCES += %reldir%/store-crm.c %reldir%/store-crm.h %reldir%/store-identity.c %reldir%/store-identity.h %reldir%/store-sidebar.c %reldir%/store-sidebar.h %reldir%/store-quick-buttons.c %reldir%/store-quick-buttons.h
libkefu_a_SOURCES += \
	%reldir%/store-assign.c %reldir%/store-assign.h \
	%reldir%/store-leave-messages.c %reldir%/store-leave-messages.h \
	%reldir%/store-mail.c %reldir%/store-mail.h \
	%reldir%/store-queue.c %reldir%/store-queue.h \
	%reldir%/store-rules.c %reldir%/store-rules.h
libkefu_a_SOURCES += %reldir%/store-webhooks.c %reldir%/store-webhooks.h
libkefu_a_SOURCES += %reldir%/store-canned.c %reldir%/store-canned.h
libkefu_a_SOURCES += %reldir%/store-ratings.c %reldir%/store-ratings.h %reldir%/store-receipts.c %reldir%/store-receipts.h
libkefu_a_SOURCES += %reldir%/store-cgroups.c %reldir%/store-cgroups.h
libkefu_a_SOURCES += %reldir%/store-history.c %reldir%/store-history.h
libkefu_a_SOURCES += %reldir%/store-presence.c %reldir%/store-presence.h
libkefu_a_SOURCES += %reldir%/store-notes.c %reldir%/store-notes.h
libkefu_a_SOURCES += %reldir%/store-metrics.c %reldir%/store-metrics.h
libkefu_a_SOURCES += %reldir%/batcher.c %reldir%/batcher.h
libkefu_a_SOURCES += %reldir%/store-privacy.c %reldir%/store-privacy.h %reldir%/store-retention.c %reldir%/store-retention.h
libkefu_a_SOURCES += %reldir%/store-jobs.c %reldir%/store-jobs.h
libkefu_a_SOURCES += %reldir%/store-tags.c %reldir%/store-tags.h
libkefu_a_SOURCES += %reldir%/store-reports.c %reldir%/store-reports.h
libkefu_a_SOURCES += %reldir%/store-rollups.c %reldir%/store-rollups.h
libkefu_a_SOURCES += %reldir%/store-report-packs.c %reldir%/store-report-packs.h
