# src/http parsers (temporary fragment until src/http/local.mk lists them itself)
libkefu_a_SOURCES += %reldir%/parse.c %reldir%/parse.h %reldir%/json-body.c %reldir%/json-body.h
