# src/domain: product logic (login, routing, assignment, conditions): no SQL, no HTTP.
libkefu_a_SOURCES += \
	%reldir%/login.c %reldir%/login.h
libkefu_a_SOURCES += %reldir%/channels.c %reldir%/channels.h
