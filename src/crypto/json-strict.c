/* json-strict: one strict JSON object parse, shared by legacy identities and v2 tokens. */
#include "crypto/json-strict.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/utf8.h"

/* json-c's strict mode still takes single-quoted member names; in real
 * JSON a quote mark can only appear inside a double-quoted string. */
static bool stray_single_quote(const char *s, size_t n)
{
	bool in_string = false;
	for (size_t i = 0; i < n; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = false;
		} else if (s[i] == '"') {
			in_string = true;
		} else if (s[i] == '\'') {
			return true;
		}
	}
	return false;
}

json_object *crypto_json_object(const char *s, size_t n)
{
	if (!s || n == 0 || n > INT_MAX || !utf8_valid(s, n) || stray_single_quote(s, n))
		return NULL;
	/* Identities are flat records; a shallow limit keeps hostile input cheap. */
	json_tokener *tok = json_tokener_new_ex(16);
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
	json_object *o = json_tokener_parse_ex(tok, s, (int)n);
	size_t end = json_tokener_get_parse_end(tok);
	bool ok = o && json_tokener_get_error(tok) == json_tokener_success && json_object_is_type(o, json_type_object);
	json_tokener_free(tok);
	/* Anything after the object other than whitespace is garbage, not a second value. */
	for (size_t i = end; ok && i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			ok = false;
	}
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
