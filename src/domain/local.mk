# src/domain: product logic (login, routing, assignment, conditions): no SQL, no HTTP.
libkefu_a_SOURCES += \
	%reldir%/login.c %reldir%/login.h
libkefu_a_SOURCES += %reldir%/channels.c %reldir%/channels.h
libkefu_a_SOURCES += \
	%reldir%/crud.c %reldir%/crud.h \
	%reldir%/org.c %reldir%/org.h %reldir%/org-hours.c %reldir%/org-keys.c %reldir%/org-audit.c
libkefu_a_SOURCES += %reldir%/conversations.c %reldir%/conversations.h %reldir%/conv-stream.c %reldir%/conv-stream.h %reldir%/sniff.c %reldir%/sniff.h
libkefu_a_SOURCES += %reldir%/crm.c %reldir%/crm.h %reldir%/identity.c %reldir%/identity.h %reldir%/sidebar.c %reldir%/sidebar.h %reldir%/quick-buttons.c %reldir%/quick-buttons.h
libkefu_a_SOURCES += \
	%reldir%/assign.c %reldir%/assign.h \
	%reldir%/conditions.c %reldir%/conditions.h \
	%reldir%/rules.c %reldir%/rules.h %reldir%/rules-admin.c \
	%reldir%/service-hours.c %reldir%/service-hours.h \
	%reldir%/strategy.c %reldir%/strategy.h
libkefu_a_SOURCES += %reldir%/webhooks.c %reldir%/webhooks.h %reldir%/mail.c %reldir%/mail.h
libkefu_a_SOURCES += %reldir%/receipts.c %reldir%/receipts.h
libkefu_a_SOURCES += %reldir%/cgroups.c %reldir%/cgroups.h
libkefu_a_SOURCES += %reldir%/identity-admin.c %reldir%/identity-admin.h
libkefu_a_SOURCES += %reldir%/transcript.c %reldir%/transcript.h
libkefu_a_SOURCES += %reldir%/reports.c %reldir%/reports.h
libkefu_a_SOURCES += %reldir%/presence.c %reldir%/presence.h
libkefu_a_SOURCES += %reldir%/canned.c %reldir%/canned.h
libkefu_a_SOURCES += %reldir%/housekeeping.c %reldir%/housekeeping.h
libkefu_a_SOURCES += %reldir%/form-fields.c %reldir%/form-fields.h
libkefu_a_SOURCES += %reldir%/privacy.c %reldir%/privacy.h %reldir%/retention.c %reldir%/retention.h
libkefu_a_SOURCES += %reldir%/visitors.c %reldir%/visitors.h %reldir%/leave-messages.c %reldir%/leave-messages.h \
	%reldir%/org-read.c %reldir%/org-read.h %reldir%/system.c %reldir%/system.h
libkefu_a_SOURCES += %reldir%/notes.c %reldir%/notes.h %reldir%/tags.c %reldir%/tags.h
libkefu_a_SOURCES += %reldir%/visitor-facts.c %reldir%/visitor-facts.h
libkefu_a_SOURCES += %reldir%/insight.c %reldir%/insight.h
libkefu_a_SOURCES += %reldir%/report-rollup.c %reldir%/report-rollup.h
libkefu_a_SOURCES += %reldir%/report-packs.c %reldir%/report-packs.h
