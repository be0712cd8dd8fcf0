# unit tests for src/view: the template engine (with golden files) and i18n
check_PROGRAMS += tests/unit/test_template tests/unit/test_i18n
TESTS += tests/unit/test_template tests/unit/test_i18n
tests_unit_test_template_SOURCES = tests/unit/test_template.c
tests_unit_test_template_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_template_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
tests_unit_test_i18n_SOURCES = tests/unit/test_i18n.c
tests_unit_test_i18n_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_i18n_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)

# golden cases: <case>.json (template, lang, data) -> <case>.html
EXTRA_DIST += \
	tests/golden/po/en.json tests/golden/po/zh-CN.json \
	tests/golden/templates/layout.xhtml tests/golden/templates/nav.xhtml \
	tests/golden/templates/conversations.xhtml tests/golden/templates/card.xhtml \
	tests/golden/conversations-en.json tests/golden/conversations-en.html \
	tests/golden/conversations-zh.json tests/golden/conversations-zh.html \
	tests/golden/card.json tests/golden/card.html \
	tests/golden/layout-defaults.json tests/golden/layout-defaults.html

check_PROGRAMS += tests/unit/test_embed
TESTS += tests/unit/test_embed
tests_unit_test_embed_SOURCES = tests/unit/test_embed.c
tests_unit_test_embed_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_embed_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
# test_mail: addresses, RFC 2047 headers and the text part of outbound mail (view/mail.h)
check_PROGRAMS += tests/unit/test_mail
TESTS += tests/unit/test_mail
tests_unit_test_mail_SOURCES = tests/unit/test_mail.c
tests_unit_test_mail_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_mail_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_chart
TESTS += tests/unit/test_chart
tests_unit_test_chart_SOURCES = tests/unit/test_chart.c
tests_unit_test_chart_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_chart_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
# test_conv_json: a stream entry's EVENT object, printed as stored (view/conv-json.h)
check_PROGRAMS += tests/unit/test_conv_json
TESTS += tests/unit/test_conv_json
tests_unit_test_conv_json_SOURCES = tests/unit/test_conv_json.c
tests_unit_test_conv_json_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_conv_json_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
