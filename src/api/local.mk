# src/api: REST handlers, one file per resource; each exports a route table (http/routes.c).
libkefu_a_SOURCES += \
	%reldir%/api-auth.c \
	%reldir%/api-system.c
libkefu_a_SOURCES += %reldir%/api-admin-channels.c %reldir%/api-widget-channels.c
