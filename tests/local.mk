# tests: unit (Check), fuzz harnesses, integration and browser suites.
# The layers as a check (domain and store free of http/ and api/, store of domain/).
TESTS += tests/arch-check
dist_noinst_SCRIPTS += tests/arch-check
EXTRA_DIST += tests/arch-allow
# The layout as a check: every C file as .clang-format lays it out (tools/format fixes it).
TESTS += tests/format-check
dist_noinst_SCRIPTS += tests/format-check tools/format
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
