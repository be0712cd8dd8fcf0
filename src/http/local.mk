# src/http: request parsing, routing, auth, responses and the FastCGI server.
libkefu_a_SOURCES += \
	%reldir%/app.h \
	%reldir%/auth.c %reldir%/auth.h \
	%reldir%/longpoll.c %reldir%/longpoll.h \
	%reldir%/metrics.c %reldir%/metrics.h \
	%reldir%/parked.c %reldir%/parked.h \
	%reldir%/parse.c %reldir%/parse.h \
	%reldir%/request.c %reldir%/request.h \
	%reldir%/response.c %reldir%/response.h \
	%reldir%/router.c %reldir%/router.h \
	%reldir%/routes.c %reldir%/routes.h \
	%reldir%/server.c %reldir%/server.h
