# kefu-webhookd: the outbound sender (webhooks and mail), a daemon beside the workers; the only user of libcurl.
sbin_PROGRAMS += src/kefu-webhookd
src_kefu_webhookd_SOURCES = src/webhookd.c src/webhookd-mail.c src/webhookd-mail.h
src_kefu_webhookd_CFLAGS = $(AM_CFLAGS) $(LIBCURL_CFLAGS)
src_kefu_webhookd_LDADD = $(KEFU_LIBS) $(LIBCURL_LIBS)
