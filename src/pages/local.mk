# src/pages: see the files' first lines.
libkefu_a_SOURCES += \
	%reldir%/pages.c %reldir%/pages.h \
	%reldir%/page-resource.c %reldir%/page-resource.h \
	%reldir%/page-login.c \
	%reldir%/page-overview.c \
	%reldir%/page-users.c \
	%reldir%/page-departments.c \
	%reldir%/page-groups.c \
	%reldir%/page-apikeys.c \
	%reldir%/page-audit.c
libkefu_a_SOURCES += %reldir%/page-workbench.c
libkefu_a_SOURCES += %reldir%/page-channels.c
libkefu_a_SOURCES += %reldir%/page-triggers.c
libkefu_a_SOURCES += %reldir%/page-webhooks.c
libkefu_a_SOURCES += %reldir%/page-identity.c %reldir%/page-sidebar.c %reldir%/page-quick-buttons.c %reldir%/page-crm.c
libkefu_a_SOURCES += %reldir%/page-cgroups.c
libkefu_a_SOURCES += %reldir%/page-history.c %reldir%/page-reports.c
libkefu_a_SOURCES += %reldir%/page-rules.c
libkefu_a_SOURCES += %reldir%/page-canned.c
libkefu_a_SOURCES += %reldir%/page-privacy.c
libkefu_a_SOURCES += %reldir%/page-api.c
libkefu_a_SOURCES += %reldir%/page-tags.c
libkefu_a_SOURCES += %reldir%/page-builders.c %reldir%/builders.h
