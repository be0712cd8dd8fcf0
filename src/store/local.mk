# src/store: the database connection and all SQL, one file per table family.
libkefu_a_SOURCES += \
	%reldir%/db.c %reldir%/db.h \
	%reldir%/migrate.c %reldir%/migrate.h \
	%reldir%/store-apikeys.c %reldir%/store-apikeys.h \
	%reldir%/store-ratelimit.c %reldir%/store-ratelimit.h \
	%reldir%/store-sessions.c %reldir%/store-sessions.h \
	%reldir%/store-tenants.c %reldir%/store-tenants.h \
	%reldir%/store-users.c %reldir%/store-users.h
libkefu_a_SOURCES += %reldir%/store-channels.c %reldir%/store-channels.h %reldir%/store-visitors.c %reldir%/store-visitors.h
