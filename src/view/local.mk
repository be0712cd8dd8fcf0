# src/view: the XHTML template engine (libxml2), the i18n message catalogs, the JSON views, and outbound mail's headers and parts.
libkefu_a_SOURCES += %reldir%/json.c %reldir%/json.h %reldir%/org-json.c %reldir%/org-json.h %reldir%/embed.c %reldir%/embed.h %reldir%/conv-json.c %reldir%/conv-json.h %reldir%/template.c %reldir%/template.h %reldir%/i18n.c %reldir%/i18n.h
libkefu_a_SOURCES += %reldir%/mail.c %reldir%/mail.h
libkefu_a_SOURCES += %reldir%/insight-json.c %reldir%/insight-json.h
libkefu_a_SOURCES += %reldir%/report-json.c %reldir%/report-json.h
libkefu_a_SOURCES += %reldir%/chart.c %reldir%/chart.h
