/* embed: the widget's embed snippet (<script async src=... data-kefu-channel=...>) as HTML text, escaped by libxml2. */
#include "view/embed.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

const char *embed_snippet(kefu_arena *a, const char *public_url, const char *key)
{
	char *base = arena_strdup(a, public_url ? public_url : "");
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	const char *src = arena_printf(a, "%s/static/widget/loader.js", base);

	/* No document: a lone node, which htmlNodeDump serialises with the HTML
	 * rules (an attribute without a value stays bare: `async`). */
	xmlNodePtr script = xmlNewNode(NULL, BAD_CAST "script");
	xmlBufferPtr buf = xmlBufferCreate();
	if (script == NULL || buf == NULL)
		abort();
	const char *out = NULL;
	if (true && buf != NULL && xmlNewProp(script, BAD_CAST "async", NULL) != NULL &&
	    xmlNewProp(script, BAD_CAST "src", BAD_CAST src) != NULL &&
	    xmlNewProp(script, BAD_CAST "data-kefu-channel", BAD_CAST(key ? key : "")) != NULL &&
	    htmlNodeDump(buf, NULL, script) >= 0)
		out = arena_strdup(a, (const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	xmlFreeNode(script);
	if (out == NULL)
		abort(); /* only an allocation can fail here */
	return out;
}
