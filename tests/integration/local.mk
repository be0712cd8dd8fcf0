# tests/integration: node suites against a throwaway stack (MariaDB, workers, lighttpd).
# The entry skips (77) without mariadbd, lighttpd or node, and when
# KEFU_SKIP_SERVER_TESTS=1 (tools/dev test runs the suites itself, with counts).
TESTS += tests/integration/run-suite
dist_noinst_SCRIPTS += tests/run-node-suite tests/integration/run-suite
EXTRA_DIST += tests/lib/kefu.mjs tests/lib/browser.mjs tests/lib/queue-order.mjs tests/lib/own-stack.mjs \
	tests/integration/smoke.test.mjs tests/integration/apache.test.mjs \
	tests/integration/pipeline.test.mjs tests/integration/resilience.test.mjs \
	package.json package-lock.json
EXTRA_DIST += tests/integration/webhooks.test.mjs tests/integration/webhooks-ssrf.test.mjs
EXTRA_DIST += tests/integration/workbench-canned.test.mjs
EXTRA_DIST += tests/integration/workbench-receipts.test.mjs
EXTRA_DIST += tests/integration/workbench-cgroups.test.mjs
EXTRA_DIST += tests/integration/workbench-history.test.mjs
EXTRA_DIST += tests/integration/crm-objects.test.mjs tests/integration/identity-verify.test.mjs tests/integration/quick-buttons.test.mjs
EXTRA_DIST += tests/integration/workbench-presence.test.mjs
EXTRA_DIST += tests/integration/workbench-handover.test.mjs
EXTRA_DIST += tests/integration/admin-auth.test.mjs tests/integration/admin-org.test.mjs tests/integration/channels.test.mjs tests/integration/conversations.test.mjs
EXTRA_DIST += tests/integration/queue-idle.test.mjs tests/integration/assign-batch.test.mjs tests/integration/assign-multirow.test.mjs tests/integration/assign-concurrency.test.mjs tests/integration/assign-owner.test.mjs tests/integration/assign-rules.test.mjs tests/integration/assign-statements.test.mjs
EXTRA_DIST += tests/integration/messages-burst.test.mjs
EXTRA_DIST += tests/integration/visitor-identity.test.mjs
EXTRA_DIST += tests/integration/websrv.test.mjs
EXTRA_DIST += tests/lib/raw-http.mjs
EXTRA_DIST += tests/integration/privacy.test.mjs
EXTRA_DIST += tests/integration/security-authz.test.mjs
EXTRA_DIST += tests/integration/presence-sweep-once.test.mjs tests/integration/presence-transfer.test.mjs
EXTRA_DIST += tests/integration/worker-signals.test.mjs tests/integration/worker-stop-connections.test.mjs
EXTRA_DIST += tests/tsan.supp
EXTRA_DIST += tests/integration/console-forms.test.mjs
EXTRA_DIST += tests/integration/openapi.test.mjs tests/lib/openapi.mjs
EXTRA_DIST += tests/integration/webhook-samples.test.mjs docs/webhooks.md docs/examples/webhook-receiver.mjs docs/examples/webhook_receiver.py docs/examples/webhook-receiver.php docs/examples/WebhookReceiver.java
EXTRA_DIST += tests/integration/mail.test.mjs tests/lib/smtp-receiver.py
EXTRA_DIST += tests/integration/webhooks-proxy.test.mjs
EXTRA_DIST += tests/integration/workbench-notes-tags.test.mjs
EXTRA_DIST += tests/integration/reports.test.mjs tests/integration/queue-positions.test.mjs
EXTRA_DIST += tests/integration/queue-watchers.test.mjs
EXTRA_DIST += tests/integration/visitor-insight.test.mjs
EXTRA_DIST += tests/integration/console-validation.test.mjs tests/integration/identity-autolink.test.mjs
EXTRA_DIST += tests/integration/reports-rollup.test.mjs
EXTRA_DIST += tests/integration/reports-packs.test.mjs
EXTRA_DIST += tests/integration/reports-status-retention.test.mjs
EXTRA_DIST += tests/integration/longpoll-head.test.mjs
EXTRA_DIST += tests/integration/messages-tx.test.mjs
EXTRA_DIST += tests/integration/messages-agent-stream.test.mjs
EXTRA_DIST += tests/lib/mmdb-write.mjs tests/integration/visitor-geoip.test.mjs
EXTRA_DIST += tests/integration/reports-invitations.test.mjs
EXTRA_DIST += tests/integration/visitor-live-paging.test.mjs
EXTRA_DIST += tests/integration/worker-backlog.test.mjs
EXTRA_DIST += tests/integration/visitor-poll-spread.test.mjs
EXTRA_DIST += tests/integration/messages-plan.test.mjs
EXTRA_DIST += tests/integration/messages-parked.test.mjs
EXTRA_DIST += tests/integration/messages-linger.test.mjs
EXTRA_DIST += tests/integration/visitor-statements.test.mjs
EXTRA_DIST += tests/integration/visitor-pageview-batch.test.mjs
EXTRA_DIST += tests/integration/visitor-poll-socket.test.mjs tests/lib/fcgi.mjs
EXTRA_DIST += tests/integration/access-log.test.mjs
EXTRA_DIST += tests/integration/messages-cells.test.mjs
EXTRA_DIST += tests/integration/visitor-pageview-socket.test.mjs
