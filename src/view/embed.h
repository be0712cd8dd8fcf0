/* embed: the widget's embed snippet (<script async src=... data-kefu-channel=...>) as HTML text, escaped by libxml2. */
#ifndef KEFU_VIEW_EMBED_H
#define KEFU_VIEW_EMBED_H

#include "core/arena.h"

/*
 * The line a site pastes to show channel key's widget:
 * <script async src="PUBLIC_URL/static/widget/loader.js" data-kefu-channel="KEY"></script>
 * (trailing slashes of public_url dropped). Built as a libxml2 HTML node and
 * serialised by libxml2, so every value is escaped for its attribute: the
 * snippet is shown as text and pasted as code, never assembled by printf.
 * In a; out of memory aborts, as everywhere.
 */
const char *embed_snippet(kefu_arena *a, const char *public_url, const char *key);

#endif
