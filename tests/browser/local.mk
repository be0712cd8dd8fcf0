# tests/browser: Chromium (Debian's, via playwright-core) against a throwaway stack.
# The entry skips (77) without chromium or node_modules/playwright-core.
TESTS += tests/browser/run-suite
dist_noinst_SCRIPTS += tests/browser/run-suite
EXTRA_DIST += tests/browser/smoke.test.mjs
EXTRA_DIST += tests/browser/identity.test.mjs
EXTRA_DIST += tests/browser/shift.test.mjs
EXTRA_DIST += tests/browser/assign.test.mjs
EXTRA_DIST += tests/browser/chat.test.mjs tests/browser/console.test.mjs tests/browser/widget.test.mjs
EXTRA_DIST += tests/browser/visitor-logout.test.mjs
EXTRA_DIST += tests/browser/privacy.test.mjs
EXTRA_DIST += tests/browser/api-page.test.mjs
EXTRA_DIST += tests/browser/widget-api.test.mjs
EXTRA_DIST += tests/browser/widget-transcript.test.mjs
EXTRA_DIST += tests/browser/visitor-insight.test.mjs
EXTRA_DIST += tests/browser/notes.test.mjs tests/lib/png.mjs
EXTRA_DIST += tests/browser/workbench.test.mjs
EXTRA_DIST += tests/browser/presence.test.mjs
EXTRA_DIST += tests/browser/console-builders.test.mjs tests/browser/console-settings.test.mjs
EXTRA_DIST += tests/browser/reports.test.mjs
EXTRA_DIST += tests/browser/lib-shop.mjs
