# po: message catalogs, one flat JSON object per language; installed for the worker.
nobase_dist_pkgdata_DATA += po/en.json po/zh-CN.json
# Translators work on gettext .po files made from the catalogs (tools/i18n
# export/import, HACKING.md "Translations"); make check: every key used in
# src/, templates/ and htdocs/ is in every catalog, and the tool round-trips.
TESTS += po/check-keys po/check-i18n-tool
dist_noinst_SCRIPTS += tools/i18n po/check-keys po/check-i18n-tool
