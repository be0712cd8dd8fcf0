# man: the manual pages, mdoc sources with installation paths filled in at build time.
man_MANS = man/kefu.fcgi.8 man/kefuctl.1 man/kefu.conf.5 man/kefu-webhookd.8
EXTRA_DIST += man/kefu.fcgi.8.in man/kefuctl.1.in man/kefu.conf.5.in man/kefu-webhookd.8.in
CLEANFILES += $(man_MANS)

# Paths as this build installs them (a Debian build: /etc, /usr/share/kefu); [@] keeps
# config.status from substituting the patterns themselves.
man_subst = $(SED) -e 's|[@]sysconfdir[@]|$(sysconfdir)|g' -e 's|[@]pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|[@]sbindir[@]|$(sbindir)|g' -e 's|[@]VERSION[@]|$(VERSION)|g'
man/kefu.fcgi.8: man/kefu.fcgi.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && $(man_subst) $(srcdir)/man/kefu.fcgi.8.in > $@.tmp && mv $@.tmp $@
man/kefuctl.1: man/kefuctl.1.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && $(man_subst) $(srcdir)/man/kefuctl.1.in > $@.tmp && mv $@.tmp $@
man/kefu.conf.5: man/kefu.conf.5.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && $(man_subst) $(srcdir)/man/kefu.conf.5.in > $@.tmp && mv $@.tmp $@
man/kefu-webhookd.8: man/kefu-webhookd.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && $(man_subst) $(srcdir)/man/kefu-webhookd.8.in > $@.tmp && mv $@.tmp $@

# make check: every configuration key documented everywhere, the options and
# commands of kefu-webhookd and kefuctl in their pages, and every page
# rendered without a warning.
TESTS += man/check-conf-keys man/check-options man/check-render
dist_noinst_SCRIPTS += man/check-conf-keys man/check-options man/check-render
