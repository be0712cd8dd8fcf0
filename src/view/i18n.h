/* i18n: message catalogs (po/<lang>.json), loaded once, read by any thread. */
#ifndef KEFU_I18N_H
#define KEFU_I18N_H

#include <stdbool.h>
#include <stddef.h>

/* The language a person gets when nothing they sent matches a catalog. */
#define I18N_DEFAULT_LANG "zh-CN"
/* The catalog a missing translation falls back to before the key itself. */
#define I18N_FALLBACK_LANG "en"

struct kefu_i18n;

/*
 * Load every `<lang>.json` in dir: a flat JSON object of key -> string, in
 * strict UTF-8 JSON. Both I18N_DEFAULT_LANG and I18N_FALLBACK_LANG must be
 * present, and every catalog must hold exactly the same keys (so no page is
 * ever half translated); anything else fails the load.
 * Returns a catalog set the caller frees with i18n_free(), or NULL with a
 * message naming the file (and key) in err.
 */
struct kefu_i18n *i18n_load_dir(const char *dir, char *err, size_t errlen);
void i18n_free(struct kefu_i18n *i);

/*
 * The translation of key in lang (matched case-insensitively, "zh-cn" is
 * "zh-CN"); falls back to the I18N_FALLBACK_LANG catalog, then to key itself.
 * The result lives as long as i (or is key). i may be NULL: returns key.
 */
const char *i18n_get(const struct kefu_i18n *i, const char *lang, const char *key);

/* True when key is in the catalogs (all catalogs hold the same keys). */
bool i18n_has(const struct kefu_i18n *i, const char *key);

/*
 * The language to render in: user_setting when it names a catalog (an exact
 * tag, or one with the same primary subtag: "en-US" -> "en", "zh-TW" ->
 * "zh-CN"), else the best match of an Accept-Language header by q-value (ties
 * go to the earlier entry, q=0 means "not this one"), else
 * I18N_DEFAULT_LANG. Either argument may be NULL or empty. The result is a
 * catalog's canonical tag owned by i (static storage when i is NULL).
 */
const char *i18n_pick(const struct kefu_i18n *i, const char *user_setting, const char *accept_language);

#endif
