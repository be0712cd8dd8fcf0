# deploy: configuration examples (lighttpd, Apache, systemd) and the sample kefu.conf, installed in $(sysconfdir)/kefu.
kefuconfdir = $(sysconfdir)/kefu
dist_kefuconf_DATA = deploy/kefu.conf.sample
# The web server's own error answers as the API's JSON error body (server.errorfile-prefix, ErrorDocument).
kefuerrorsdir = $(pkgdatadir)/errors
dist_kefuerrors_DATA = deploy/errors/400.html deploy/errors/403.html deploy/errors/404.html \
	deploy/errors/405.html deploy/errors/408.html deploy/errors/411.html deploy/errors/413.html \
	deploy/errors/414.html deploy/errors/416.html deploy/errors/417.html deploy/errors/431.html \
	deploy/errors/500.html deploy/errors/501.html deploy/errors/502.html deploy/errors/503.html \
	deploy/errors/504.html deploy/errors/505.html
EXTRA_DIST += deploy/README.md deploy/lighttpd/kefu.conf.in deploy/apache/kefu.conf \
	deploy/systemd/kefu.socket deploy/systemd/kefu.service deploy/systemd/kefu-webhookd.service \
	deploy/galera/galera.cnf.in deploy/haproxy/kefu-haproxy.cfg.in

# The local stack and demo tools (tools/dev itself is listed in Makefile.am),
# and the demo shop page they serve (shipped, not installed).
dist_noinst_SCRIPTS += tools/stack tools/seed-demo tools/seed-demo-crm tools/cluster
EXTRA_DIST += tests/cluster/cluster.test.mjs
EXTRA_DIST += tools/lib/common.sh htdocs/demo/index.html htdocs/demo/demo.css htdocs/demo/customer.js
