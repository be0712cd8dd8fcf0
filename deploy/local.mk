# deploy: configuration examples (lighttpd, Apache, systemd) and the sample kefu.conf, installed in $(sysconfdir)/kefu.
kefuconfdir = $(sysconfdir)/kefu
dist_kefuconf_DATA = deploy/kefu.conf.sample
EXTRA_DIST += deploy/README.md deploy/lighttpd/kefu.conf.in deploy/apache/kefu.conf \
	deploy/systemd/kefu.socket deploy/systemd/kefu.service deploy/systemd/kefu-webhookd.service

# The local stack and demo tools (tools/dev itself is listed in Makefile.am),
# and the demo shop page they serve (shipped, not installed).
dist_noinst_SCRIPTS += tools/stack tools/seed-demo tools/seed-demo-crm
EXTRA_DIST += tools/lib/common.sh htdocs/demo/index.html htdocs/demo/demo.css htdocs/demo/customer.js
