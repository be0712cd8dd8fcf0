# src/view: the XHTML template engine (libxml2) and the i18n message catalogs.
libkefu_a_SOURCES += %reldir%/template.c %reldir%/template.h %reldir%/i18n.c %reldir%/i18n.h
libkefu_a_SOURCES += %reldir%/mail.c %reldir%/mail.h
