# tests: unit (Check), fuzz harnesses, integration and browser suites.
if HAVE_CHECK
include tests/unit/core.mk
include tests/unit/http.mk
include tests/unit/store.mk
include tests/unit/view.mk
include tests/unit/crypto.mk
include tests/unit/domain.mk
include tests/unit/api.mk
endif
include tests/fuzz/local.mk
include tests/integration/local.mk
include tests/browser/local.mk
include tests/unit/crm.mk
include tests/unit/sniff.mk
include tests/unit/webhooks.mk
