# src/core: arena, errors, JSON documents, log, config, UTF-8, addresses and networks, the outgoing-address rule (egress),
# the User-Agent parser.
libkefu_a_SOURCES += \
	%reldir%/actor.h %reldir%/fault.c \
	%reldir%/arena.c %reldir%/arena.h \
	%reldir%/clock.h \
	%reldir%/conf.c %reldir%/conf.h \
	%reldir%/egress.c %reldir%/egress.h \
	%reldir%/err.c %reldir%/err.h \
	%reldir%/ids.h \
	%reldir%/json-doc.c %reldir%/json-doc.h \
	%reldir%/log.c %reldir%/log.h \
	%reldir%/netaddr.c %reldir%/netaddr.h \
	%reldir%/text.c %reldir%/text.h \
	%reldir%/utf8.c %reldir%/utf8.h
libkefu_a_SOURCES += %reldir%/idwindow.c %reldir%/idwindow.h
libkefu_a_SOURCES += %reldir%/useragent.c %reldir%/useragent.h
