/* template: XHTML templates parsed once with libxml2, rendered to HTML5 from json-c data. */
#ifndef KEFU_TEMPLATE_H
#define KEFU_TEMPLATE_H

#include <stddef.h>

#include <json-c/json_object.h>

struct kefu_i18n;

/*
 * Templates are well-formed XHTML files, `<dir>/<name>.xhtml`. Every
 * insertion point is an attribute; directives are removed from the output,
 * any other attribute (including data-id and other data-* for scripts) is
 * copied as it is. Values reach the page only as text or as an attribute
 * value, both escaped on output.
 *
 * Paths name a value in the data: `user.name`, `items.0.title` (array
 * index), a loop variable and its fields (`c.name`), `$index` (the item's
 * position in the innermost data-each's array, from 0, counting items that
 * data-if filtered out) and `$lang` (the render's language tag). A missing
 * value is null. Loop variables shadow top-level keys of the same name.
 *
 *   data-text="path"          children := the value as text (null -> empty;
 *                             string, number or bool; object/array is an error)
 *   data-attr-NAME="path"     attribute NAME := the value; null or false drops
 *                             it, true gives NAME="NAME" (for checked, ...).
 *                             href, src, action, formaction, poster and cite
 *                             are dropped unless relative or http:, https:,
 *                             mailto:. NAME may not be on* or style, and
 *                             <script> may not take data-attr-src.
 *   data-if="path"            keep the element when the value is truthy
 *   data-unless="path"        ... when it is not. Falsy: null, false, "", 0,
 *                             empty array.
 *   data-each="x in path"     repeat the element for each item of the array
 *                             (null: none); x is visible inside it. data-if
 *                             and data-unless on the same element are tested
 *                             per item, so they filter.
 *   data-include="name"       children := the children of template `name`'s
 *                             root element, rendered in the same scope; the
 *                             partial's root is only a wrapper and may carry
 *                             no directives.
 *   data-t="key"              children := the translation of key
 *   data-t-attr-NAME="key"    attribute NAME := the translation of key
 *
 * At most one of data-text, data-t, data-include per element. Keys must
 * exist in the catalogs given to tpl_load_dir(). Comments and processing
 * instructions are dropped; entity declarations are refused.
 *
 * Layouts. A page whose root carries data-layout="name" is rendered as
 * template `name` with the page's slots filled in. The page root's element
 * children must all be slots, `<any data-slot="main">...</any>`; the layout
 * marks where each goes with `<any data-slot-target="main">defaults</any>`.
 * The target element stays (its tag and attributes come from the layout)
 * and its children become the slot's children, rendered in the page's
 * scope; a slot the page lacks, or whose data-if fails, leaves the
 * layout's defaults. Example:
 *
 *   layout.xhtml:  <html data-attr-lang="$lang"><head>
 *                    <title data-slot-target="title">kefu</title></head>
 *                    <body><main data-slot-target="main"/></body></html>
 *   users.xhtml:   <html data-layout="layout">
 *                    <title data-slot="title" data-t="nav.users"/>
 *                    <div data-slot="main"><ul><li data-each="u in users"
 *                      data-text="u.name"/></ul></div></html>
 *
 * Output is HTML5 syntax: "<!DOCTYPE html>\n" and a final newline when
 * the root is <html> (other roots render as a bare fragment),
 * void elements as <br />, other empty elements as <p></p>, <script> and
 * <style> bodies verbatim (they must be static: no directives inside them),
 * one extra newline after <pre> and <textarea> (an HTML parser eats it).
 * Malformed UTF-8 and control characters in values become U+FFFD.
 */

typedef struct kefu_templates kefu_templates;

/*
 * Parse every `*.xhtml` in dir (without expanding external entities, without
 * network access) and check every directive. i18n, when not NULL, is used to
 * check data-t keys and to translate; it must outlive the result.
 * Returns the set the caller frees with tpl_free(), or NULL with a message
 * naming the file and line in err: a worker must refuse to start then.
 * Calls xmlInitParser(); call it from one thread before starting others.
 */
kefu_templates *tpl_load_dir(const char *dir, const struct kefu_i18n *i18n, char *err, size_t errlen);
void tpl_free(kefu_templates *t);

/*
 * Render template `name` (its file name without .xhtml) with data (a JSON
 * object, or NULL for none) in language lang, normally i18n_pick()'s answer
 * (any tag is mapped through i18n_pick(); NULL gives the default language).
 * On success returns 0 and stores a malloc'd NUL-terminated document in
 * *out (caller frees) and its length in *outlen. Returns -1 with a message
 * in err for an unknown template or data of the wrong shape (an object
 * where text is expected, a non-array for data-each); *out is then NULL.
 * Thread-safe: the templates are only read; data is only read.
 */
int tpl_render(const kefu_templates *t, const char *name, json_object *data, const char *lang, char **out,
               size_t *outlen, char *err, size_t errlen);

#endif
