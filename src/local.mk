# entry points: the worker and the CLI
src_kefu_fcgi_SOURCES = src/main.c
src_kefu_fcgi_LDADD = $(KEFU_LIBS) $(JEMALLOC_LIBS)
src_kefuctl_SOURCES = src/cli/kefuctl.c
src_kefuctl_LDADD = $(KEFU_LIBS)
