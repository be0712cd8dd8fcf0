# src/api: REST handlers, one file per resource; each exports a route table (http/routes.c).
libkefu_a_SOURCES += \
	%reldir%/api-auth.c %reldir%/resource.c %reldir%/resource.h \
	%reldir%/api-system.c
libkefu_a_SOURCES += %reldir%/api-admin-channels.c %reldir%/api-widget-channels.c
libkefu_a_SOURCES += \
	%reldir%/api-admin-users.c \
	%reldir%/api-admin-departments.c \
	%reldir%/api-admin-groups.c \
	%reldir%/api-admin-apikeys.c \
	%reldir%/api-admin-audit.c \
	%reldir%/api-crm-org.c
libkefu_a_SOURCES += %reldir%/events-poll.c %reldir%/events-poll.h
libkefu_a_SOURCES += %reldir%/api-widget-conversations.c %reldir%/api-agent-conversations.c %reldir%/api-agent-status.c %reldir%/api-attachments.c
libkefu_a_SOURCES += %reldir%/api-crm-objects.c %reldir%/api-admin-identity.c %reldir%/api-admin-sidebar.c %reldir%/api-admin-quick-buttons.c %reldir%/api-widget-quick.c %reldir%/api-agent-sidebar.c
libkefu_a_SOURCES += %reldir%/api-admin-rules.c %reldir%/api-agent-queue.c %reldir%/api-agent-transfer.c %reldir%/api-leave-messages.c
libkefu_a_SOURCES += %reldir%/api-admin-webhooks.c
libkefu_a_SOURCES += %reldir%/api-canned.c
libkefu_a_SOURCES += %reldir%/api-typing.c %reldir%/api-ratings.c
libkefu_a_SOURCES += %reldir%/api-cgroups.c
libkefu_a_SOURCES += %reldir%/api-history.c
libkefu_a_SOURCES += %reldir%/api-presence.c
libkefu_a_SOURCES += %reldir%/api-handover.c
libkefu_a_SOURCES += %reldir%/api-strings.c
libkefu_a_SOURCES += %reldir%/conv-actions.c %reldir%/conv-actions.h
libkefu_a_SOURCES += %reldir%/api-privacy.c
# The OpenAPI document is embedded into api-openapi.o (.incbin): its path, and a
# rebuild of that object when the document changes.
libkefu_a_SOURCES += %reldir%/api-openapi.c %reldir%/openapi.h
AM_CPPFLAGS += -DKEFU_OPENAPI_FILE='"$(abs_top_srcdir)/docs/openapi.json"'
%reldir%/api-openapi.$(OBJEXT): $(top_srcdir)/docs/openapi.json
EXTRA_DIST += docs/openapi.json docs/openapi/source.mjs tools/openapi-gen
libkefu_a_SOURCES += %reldir%/api-conv-tags.c
libkefu_a_SOURCES += %reldir%/api-visitor-insight.c
libkefu_a_SOURCES += %reldir%/api-reports.c
