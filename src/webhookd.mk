# kefu-webhookd: the webhook sender (src/webhookd.c), a daemon beside the workers.
sbin_PROGRAMS += src/kefu-webhookd
src_kefu_webhookd_SOURCES = src/webhookd.c
src_kefu_webhookd_LDADD = $(KEFU_LIBS)
