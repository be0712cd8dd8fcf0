# src/crypto: see the files' first lines.
libkefu_a_SOURCES += \
	%reldir%/hash.c %reldir%/hash.h \
	%reldir%/random.c %reldir%/random.h \
	%reldir%/json-strict.c %reldir%/json-strict.h \
	%reldir%/password.c %reldir%/password.h \
	%reldir%/identity.c %reldir%/identity.h \
	%reldir%/jwt.c %reldir%/jwt.h
