/* template: load and check XHTML templates at start-up, render them to HTML5 per request. */
#include "view/template.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/text.h"
#include "core/utf8.h"
#include "view/i18n.h"

/*
 * Why a serializer of our own rather than libxml2's: its XML writer emits
 * <div/>, which an HTML5 parser reads as an open <div>; its HTML writer
 * drops </li> after an empty <li> (changing the tree an HTML5 parser
 * builds), knows no HTML5 void elements and rewrites URLs. Rendering walks
 * the parsed template read-only and writes the output directly; every byte
 * that is not template markup goes through buf_text() or buf_attr(), which
 * escape it and replace anything that is not well-formed UTF-8.
 */

#define XHTML_NS     "http://www.w3.org/1999/xhtml"
#define PATH_MAX_LEN 256
/* Includes cannot cycle (checked at load); this only bounds the stack. */
#define RENDER_MAX_DEPTH 64

struct tpl {
	char *name;
	char *path; /* for load-time messages */
	xmlDocPtr doc;
	const struct tpl *layout; /* the layout this page fills, or NULL */
};

struct kefu_templates {
	struct tpl *v; /* sorted by name */
	size_t n;
	const struct kefu_i18n *i18n;
};

enum dkind {
	D_NONE,        /* not a directive: copied to the output */
	D_TEXT,        /* data-text */
	D_ATTR,        /* data-attr-NAME */
	D_IF,          /* data-if */
	D_UNLESS,      /* data-unless */
	D_EACH,        /* data-each */
	D_INCLUDE,     /* data-include */
	D_LAYOUT,      /* data-layout */
	D_SLOT,        /* data-slot */
	D_SLOT_TARGET, /* data-slot-target */
	D_T,           /* data-t */
	D_TATTR,       /* data-t-attr-NAME */
	D_BAD,         /* in a directive namespace but not a directive */
};

/* ---- directive grammar, shared by the checker and the renderer ---- */

static enum dkind dkind(const xmlAttr *a, const char **suffix)
{
	static const struct {
		const char *name;
		enum dkind kind;
	} exact[] = {
	    {"text", D_TEXT},
	    {"if", D_IF},
	    {"unless", D_UNLESS},
	    {"each", D_EACH},
	    {"include", D_INCLUDE},
	    {"layout", D_LAYOUT},
	    {"slot", D_SLOT},
	    {"slot-target", D_SLOT_TARGET},
	    {"t", D_T},
	    {"attr", D_BAD},
	};
	const char *name = (const char *)a->name;
	*suffix = NULL;
	if (a->ns != NULL || strncmp(name, "data-", 5) != 0)
		return D_NONE;
	const char *rest = name + 5;
	for (size_t k = 0; k < sizeof exact / sizeof *exact; k++)
		if (strcmp(rest, exact[k].name) == 0)
			return exact[k].kind;
	if (strncmp(rest, "attr-", 5) == 0) {
		*suffix = rest + 5;
		return **suffix ? D_ATTR : D_BAD;
	}
	if (strncmp(rest, "t-attr-", 7) == 0) {
		*suffix = rest + 7;
		return **suffix ? D_TATTR : D_BAD;
	}
	if (strncmp(rest, "t-", 2) == 0)
		return D_BAD;
	return D_NONE;
}

/* The attribute's value; the checker made sure it is one text node. */
static const char *attr_val(const xmlAttr *a)
{
	return a->children && a->children->content ? (const char *)a->children->content : "";
}

static const xmlAttr *find_dir(const xmlNode *el, enum dkind want)
{
	for (const xmlAttr *a = el->properties; a; a = a->next) {
		const char *sfx;
		if (dkind(a, &sfx) == want)
			return a;
	}
	return NULL;
}

static const char *dir_val(const xmlNode *el, enum dkind want)
{
	const xmlAttr *a = find_dir(el, want);
	return a ? attr_val(a) : NULL;
}

static int seg_char(int ch)
{
	return isalnum(ch) || ch == '_' || ch == '-';
}

/* user.name, items.0.title, $index, $lang */
static int path_ok(const char *p)
{
	size_t n = strlen(p);
	if (n == 0 || n > PATH_MAX_LEN)
		return 0;
	if (strcmp(p, "$index") == 0 || strcmp(p, "$lang") == 0)
		return 1;
	for (size_t k = 0; k < n; k++) {
		if (p[k] == '.') {
			if (k == 0 || p[k - 1] == '.' || k + 1 == n)
				return 0;
		} else if (!seg_char((unsigned char)p[k])) {
			return 0;
		}
	}
	return 1;
}

static int name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!seg_char((unsigned char)*s))
			return 0;
	return 1;
}

static int key_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > PATH_MAX_LEN)
		return 0;
	for (; *s; s++)
		if (!seg_char((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

/* "x in path" -> x, path. */
static int each_parse(const char *v, const char **var, size_t *varlen, const char **path)
{
	while (*v == ' ')
		v++;
	if (!isalpha((unsigned char)*v) && *v != '_')
		return -1;
	*var = v;
	while (isalnum((unsigned char)*v) || *v == '_')
		v++;
	*varlen = (size_t)(v - *var);
	if (*v != ' ')
		return -1;
	while (*v == ' ')
		v++;
	if (strncmp(v, "in ", 3) != 0)
		return -1;
	v += 3;
	while (*v == ' ')
		v++;
	*path = v;
	return path_ok(v) && (*path)[0] != '$' ? 0 : -1;
}

static bool is_html(const xmlNode *el)
{
	return el->ns == NULL || strcmp((const char *)el->ns->href, XHTML_NS) == 0;
}

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static bool is_void(const xmlNode *el)
{
	static const char *const v[] = {"area", "base", "br",    "col",    "embed", "hr",  "img", "input",
	                                "link", "meta", "param", "source", "track", "wbr", NULL};
	return is_html(el) && in_list((const char *)el->name, v);
}

/* Elements whose text an HTML parser does not decode. */
static bool is_raw(const xmlNode *el)
{
	static const char *const v[] = {"script", "style", NULL};
	return is_html(el) && in_list((const char *)el->name, v);
}

/* An HTML parser drops one newline right after these start tags. */
static bool eats_newline(const xmlNode *el)
{
	static const char *const v[] = {"pre", "textarea", "listing", NULL};
	return is_html(el) && in_list((const char *)el->name, v);
}

/* Attributes whose value is fetched or followed as a URL. */
static bool is_url_attr(const char *name)
{
	static const char *const v[] = {"href", "src",  "action",   "formaction", "poster",   "cite", "background",
	                                "data", "ping", "manifest", "codebase",   "longdesc", NULL};
	for (const char *const *p = v; *p; p++)
		if (strcasecmp(name, *p) == 0)
			return true;
	return false;
}

/* Attributes whose value is code or markup: no data may reach them. */
static bool attr_forbidden(const char *name)
{
	return strncasecmp(name, "on", 2) == 0 || strcasecmp(name, "style") == 0 || strcasecmp(name, "srcdoc") == 0;
}

static bool attr_name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!seg_char((unsigned char)*s))
			return false;
	return true;
}

/*
 * Whether a URL from data may go into a URL attribute: relative ones and
 * http:, https:, mailto: only. The scheme is found the way browsers find
 * it (leading controls and spaces skipped, tabs and newlines ignored), so
 * " java\tscript:" is seen for what it is.
 */
static bool url_ok(const char *s, size_t n)
{
	char scheme[8];
	size_t sl = 0, k = 0;
	while (k < n && (unsigned char)s[k] <= 0x20)
		k++;
	for (; k < n; k++) {
		unsigned char ch = (unsigned char)s[k];
		if (ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		if (ch == ':') {
			if (sl == 0 || sl >= sizeof scheme)
				return sl == 0; /* ":x" is a relative path */
			scheme[sl] = '\0';
			return strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0 ||
			       strcasecmp(scheme, "mailto") == 0;
		}
		bool schemechar = sl == 0 ? isalpha(ch) : (isalnum(ch) || ch == '+' || ch == '-' || ch == '.');
		if (!schemechar)
			return true; /* no scheme: relative */
		if (sl < sizeof scheme)
			scheme[sl] = (char)ch;
		sl++;
	}
	return true;
}

/* ---- loading and checking ---- */

struct lctx {
	const kefu_templates *t;
	const struct tpl *tp;
	char *err;
	size_t errlen;
};

#define LERR(L, node, ...)                                                                                             \
	do {                                                                                                           \
		char msg_[512];                                                                                        \
		snprintf(msg_, sizeof msg_, __VA_ARGS__);                                                              \
		set_err((L)->err, (L)->errlen, "%s:%ld: %s", (L)->tp->path, xmlGetLineNo(node), msg_);                 \
	} while (0)

static const struct tpl *find_tpl(const kefu_templates *t, const char *name)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, t->v[mid].name);
		if (c == 0)
			return &t->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int check_raw_text(struct lctx *L, const xmlNode *el)
{
	size_t nl = strlen((const char *)el->name);
	for (const xmlNode *c = el->children; c; c = c->next) {
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE && c->type != XML_COMMENT_NODE) {
			LERR(L, el, "<%s> may hold only text", el->name);
			return -1;
		}
		if (c->type == XML_COMMENT_NODE || c->content == NULL)
			continue;
		for (const char *p = strstr((const char *)c->content, "</"); p; p = strstr(p + 1, "</"))
			if (strncasecmp(p + 2, (const char *)el->name, nl) == 0) {
				LERR(L, el, "<%s> text contains </%s", el->name, el->name);
				return -1;
			}
	}
	return 0;
}

static int check_el(struct lctx *L, const xmlNode *el, bool is_root, bool is_slot)
{
	int content = 0;
	const xmlAttr *layout = NULL, *each = NULL, *cond = NULL, *slot = NULL, *target = NULL;
	for (const xmlAttr *a = el->properties; a; a = a->next) {
		if (a->children != NULL && (a->children->type != XML_TEXT_NODE || a->children->next != NULL)) {
			LERR(L, el, "attribute %s: entity references are not allowed", a->name);
			return -1;
		}
		const char *sfx, *v = attr_val(a);
		enum dkind k = dkind(a, &sfx);
		switch (k) {
		case D_NONE: break;
		case D_BAD: LERR(L, el, "unknown directive %s", a->name); return -1;
		case D_TEXT:
		case D_IF:
		case D_UNLESS:
			if (!path_ok(v)) {
				LERR(L, el, "%s: bad path \"%s\"", a->name, v);
				return -1;
			}
			if (k == D_TEXT)
				content++;
			else
				cond = a;
			break;
		case D_EACH: {
			const char *var, *path;
			size_t varlen;
			if (each_parse(v, &var, &varlen, &path) < 0) {
				LERR(L, el, "data-each: expected \"name in path\", got \"%s\"", v);
				return -1;
			}
			each = a;
			break;
		}
		case D_INCLUDE:
		case D_LAYOUT:
		case D_SLOT:
		case D_SLOT_TARGET: /* each names a template or a slot */
			if (!name_ok(v)) {
				LERR(L, el, "%s: bad %s name \"%s\"", a->name,
				     k == D_INCLUDE || k == D_LAYOUT ? "template" : "slot", v);
				return -1;
			}
			if (k == D_INCLUDE)
				content++;
			else if (k == D_LAYOUT)
				layout = a;
			else if (k == D_SLOT)
				slot = a;
			else
				target = a;
			break;
		case D_T:
		case D_TATTR:
			if (!key_ok(v) || (L->t->i18n != NULL && !i18n_has(L->t->i18n, v))) {
				LERR(L, el, "%s: no message \"%s\" in the catalogs", a->name, v);
				return -1;
			}
			if (k == D_T)
				content++;
			/* fall through */
		case D_ATTR:
			if (sfx != NULL) {
				if (!attr_name_ok(sfx) || attr_forbidden(sfx)) {
					LERR(L, el, "%s: attribute %s may not be set from data", a->name, sfx);
					return -1;
				}
				if (is_raw(el) && strcasecmp(sfx, "src") == 0) {
					LERR(L, el, "%s: a script's source may not come from data", a->name);
					return -1;
				}
				for (const xmlAttr *b = a->next; b; b = b->next) {
					const char *bs;
					enum dkind bk = dkind(b, &bs);
					if ((bk == D_ATTR || bk == D_TATTR) && strcmp(bs, sfx) == 0) {
						LERR(L, el, "attribute %s is set twice", sfx);
						return -1;
					}
				}
			}
			if (k == D_ATTR && !path_ok(v)) {
				LERR(L, el, "%s: bad path \"%s\"", a->name, v);
				return -1;
			}
			break;
		}
	}
	if (content > 1) {
		LERR(L, el, "at most one of data-text, data-t, data-include");
		return -1;
	}
	if ((is_void(el) || is_raw(el)) && content) {
		LERR(L, el, "<%s> cannot take data-text, data-t or data-include", el->name);
		return -1;
	}
	if (is_void(el) && el->children != NULL) {
		LERR(L, el, "<%s> is a void element and must be empty", el->name);
		return -1;
	}
	if (is_raw(el) && check_raw_text(L, el) < 0)
		return -1;
	if (layout && !is_root) {
		LERR(L, el, "data-layout belongs on the root element");
		return -1;
	}
	if (is_root && (each || cond || slot || target)) {
		LERR(L, el, "the root element cannot take data-each, data-if, data-unless or slots");
		return -1;
	}
	if (layout) {
		for (const xmlAttr *a = el->properties; a; a = a->next) {
			const char *s;
			if (a != layout && dkind(a, &s) != D_NONE) {
				LERR(L, el, "a layout page's root takes no other directive");
				return -1;
			}
		}
	}
	if (slot && !is_slot) {
		LERR(L, el, "data-slot belongs on a child of a layout page's root");
		return -1;
	}
	if (is_slot) {
		if (!slot) {
			LERR(L, el, "every child of a layout page's root must be a data-slot");
			return -1;
		}
		if (each || target || find_dir(el, D_ATTR) || find_dir(el, D_TATTR)) {
			LERR(L, el, "a slot cannot take data-each, data-slot-target or attributes");
			return -1;
		}
		for (const xmlNode *o = el->parent->children; o != el; o = o->next) {
			const char *other = o->type == XML_ELEMENT_NODE ? dir_val(o, D_SLOT) : NULL;
			if (other != NULL && strcmp(other, attr_val(slot)) == 0) {
				LERR(L, el, "slot \"%s\" is defined twice", attr_val(slot));
				return -1;
			}
		}
	}
	for (const xmlNode *c = el->children; c; c = c->next) {
		switch (c->type) {
		case XML_ELEMENT_NODE:
			if (check_el(L, c, false, layout != NULL) < 0)
				return -1;
			break;
		case XML_TEXT_NODE:
			if (layout != NULL && !xmlIsBlankNode(c)) {
				LERR(L, c, "a layout page's root may hold only slots");
				return -1;
			}
			break;
		case XML_CDATA_SECTION_NODE:
		case XML_COMMENT_NODE:
		case XML_PI_NODE: break;
		default: LERR(L, c, "entity references and other nodes are not allowed"); return -1;
		}
	}
	return 0;
}

/* Calls fn for every element of the tree below (and including) el. */
static int walk(const xmlNode *el, int (*fn)(const xmlNode *, void *), void *arg)
{
	if (fn(el, arg) < 0)
		return -1;
	for (const xmlNode *c = el->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && walk(c, fn, arg) < 0)
			return -1;
	return 0;
}

struct xref {
	struct lctx *L;
	unsigned char *state; /* per template: 0 new, 1 on the stack, 2 done */
	const char *slot_name;
	int found;
};

static int visit_includes(struct xref *x, const struct tpl *tp);

static int include_node(const xmlNode *el, void *arg)
{
	struct xref *x = arg;
	const char *name = dir_val(el, D_INCLUDE);
	if (name == NULL)
		return 0;
	const struct tpl *inc = find_tpl(x->L->t, name);
	if (inc == NULL) {
		LERR(x->L, el, "data-include: no template \"%s\"", name);
		return -1;
	}
	const xmlNode *root = xmlDocGetRootElement(inc->doc);
	for (const xmlAttr *a = root->properties; a; a = a->next) {
		const char *s;
		if (dkind(a, &s) != D_NONE) {
			LERR(x->L, el, "data-include: %s's root takes directives, so it is no partial", name);
			return -1;
		}
	}
	size_t idx = (size_t)(inc - x->L->t->v);
	if (x->state[idx] == 1) {
		LERR(x->L, el, "data-include: \"%s\" includes itself", name);
		return -1;
	}
	if (x->state[idx] == 0) {
		const struct tpl *saved = x->L->tp;
		int rc = visit_includes(x, inc);
		x->L->tp = saved;
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int visit_includes(struct xref *x, const struct tpl *tp)
{
	size_t idx = (size_t)(tp - x->L->t->v);
	x->state[idx] = 1;
	x->L->tp = tp;
	if (walk(xmlDocGetRootElement(tp->doc), include_node, x) < 0)
		return -1;
	x->state[idx] = 2;
	return 0;
}

static int target_node(const xmlNode *el, void *arg)
{
	struct xref *x = arg;
	const char *v = dir_val(el, D_SLOT_TARGET);
	if (v != NULL && (x->slot_name == NULL || strcmp(v, x->slot_name) == 0))
		x->found++;
	return 0;
}

/* Resolve data-layout and data-include across templates, refuse cycles. */
static int link_templates(kefu_templates *t, char *err, size_t errlen)
{
	struct lctx L = {.t = t, .err = err, .errlen = errlen};
	struct xref x = {.L = &L, .state = calloc(t->n ? t->n : 1, 1)};
	if (x.state == NULL)
		abort();
	int rc = -1;
	for (size_t k = 0; k < t->n; k++) {
		struct tpl *tp = &t->v[k];
		L.tp = tp;
		const xmlNode *root = xmlDocGetRootElement(tp->doc);
		const char *lname = dir_val(root, D_LAYOUT);
		if (lname != NULL) {
			const struct tpl *lay = find_tpl(t, lname);
			if (lay == NULL || lay == tp) {
				LERR(&L, root, "data-layout: no layout \"%s\"", lname);
				goto out;
			}
			const xmlNode *lroot = xmlDocGetRootElement(lay->doc);
			if (find_dir(lroot, D_LAYOUT) != NULL) {
				LERR(&L, root, "data-layout: \"%s\" is itself a page with a layout", lname);
				goto out;
			}
			for (const xmlNode *s = root->children; s; s = s->next) {
				if (s->type != XML_ELEMENT_NODE)
					continue;
				x.slot_name = dir_val(s, D_SLOT);
				x.found = 0;
				walk(lroot, target_node, &x);
				if (x.found != 1) {
					LERR(&L, s, "slot \"%s\": layout \"%s\" has %s data-slot-target for it",
					     x.slot_name, lname, x.found ? "more than one" : "no");
					goto out;
				}
			}
			x.slot_name = NULL;
			x.found = 0;
			walk(root, target_node, &x);
			if (x.found != 0) {
				LERR(&L, root, "a page with a layout cannot hold data-slot-target");
				goto out;
			}
			tp->layout = lay;
		}
		if (x.state[k] == 0 && visit_includes(&x, tp) < 0)
			goto out;
	}
	rc = 0;
out:
	free(x.state);
	return rc;
}

struct first_err {
	char msg[256];
	int line;
};

/* libxml2 keeps only the last error; the first one is the one to fix. */
static void keep_first_error(void *ud, xmlErrorPtr e)
{
	struct first_err *fe = ((xmlParserCtxtPtr)ud)->_private;
	if (fe->msg[0] != '\0' || e == NULL || e->level < XML_ERR_ERROR)
		return;
	snprintf(fe->msg, sizeof fe->msg, "%s", e->message ? e->message : "not well-formed");
	fe->msg[strcspn(fe->msg, "\n")] = '\0';
	fe->line = e->line;
}

static xmlDocPtr parse_file(const char *path, char *err, size_t errlen)
{
	struct first_err fe = {.msg = ""};
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		abort();
	ctxt->_private = &fe;
	ctxt->sax->serror = keep_first_error;
	/* No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD (no
	 * external DTD), NONET (never the network); errors are ours to report. */
	xmlDocPtr doc = xmlCtxtReadFile(ctxt, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || !ctxt->wellFormed) {
		set_err(err, errlen, "%s:%d: %s", path, fe.line, fe.msg[0] ? fe.msg : "not well-formed");
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (doc->extSubset != NULL ||
	           (doc->intSubset != NULL && (doc->intSubset->children != NULL || doc->intSubset->ExternalID != NULL ||
	                                       doc->intSubset->SystemID != NULL))) {
		/* only a bare <!DOCTYPE html> may stand in a template */
		set_err(err, errlen, "%s:1: DOCTYPE with declarations or an external DTD", path);
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

void tpl_free(kefu_templates *t)
{
	if (t == NULL)
		return;
	for (size_t k = 0; k < t->n; k++) {
		free(t->v[k].name);
		free(t->v[k].path);
		xmlFreeDoc(t->v[k].doc);
	}
	free(t->v);
	free(t);
}

struct scan {
	kefu_templates *t;
	size_t cap;
	char *err;
	size_t errlen;
};

static int add_template(const char *name, const char *path, void *ctx)
{
	struct scan *sc = ctx;
	kefu_templates *t = sc->t;
	t->v = xgrow(t->v, &sc->cap, t->n, sizeof *t->v, 16);
	struct tpl *tp = &t->v[t->n++];
	memset(tp, 0, sizeof *tp);
	tp->name = xstrdup(name);
	tp->path = xstrdup(path);
	if (!name_ok(tp->name)) {
		set_err(sc->err, sc->errlen, "%s: a template name is letters, digits, _ and -", tp->path);
		return -1;
	}
	return 0;
}

kefu_templates *tpl_load_dir(const char *dir, const struct kefu_i18n *i18n, char *err, size_t errlen)
{
	xmlInitParser();
	kefu_templates *t = calloc(1, sizeof *t);
	if (t == NULL)
		abort();
	t->i18n = i18n;
	struct scan sc = {t, 0, err, errlen};
	if (text_dir_each(dir, ".xhtml", add_template, &sc, err, errlen) != 0)
		goto fail;
	for (size_t k = 0; k < t->n; k++) {
		struct tpl *tp = &t->v[k];
		tp->doc = parse_file(tp->path, err, errlen);
		if (tp->doc == NULL)
			goto fail;
		struct lctx L = {.t = t, .tp = tp, .err = err, .errlen = errlen};
		if (check_el(&L, xmlDocGetRootElement(tp->doc), true, false) < 0)
			goto fail;
	}
	if (link_templates(t, err, errlen) < 0)
		goto fail;
	return t;
fail:
	tpl_free(t);
	return NULL;
}

/* ---- rendering ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_need(struct buf *b, size_t add)
{
	if (add > SIZE_MAX / 2 - b->len)
		abort();
	if (b->len + add + 1 <= b->cap)
		return;
	size_t nc = b->cap ? b->cap : 4096;
	while (nc < b->len + add + 1)
		nc *= 2;
	char *np = realloc(b->p, nc);
	if (np == NULL)
		abort();
	b->p = np;
	b->cap = nc;
}

static void buf_raw(struct buf *b, const char *s, size_t n)
{
	buf_need(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void buf_str(struct buf *b, const char *s)
{
	buf_raw(b, s, strlen(s));
}

/* Length of the well-formed UTF-8 sequence at s (0 if there is none);
 * C0 controls other than tab, LF, CR and FF count as malformed: HTML
 * refuses them. */
static size_t html_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f') && c != 0x7f ? 1 : 0;
	return utf8_seq(s, n);
}

/* Text or attribute value: escaped, and malformed bytes become U+FFFD. */
static void buf_escaped(struct buf *b, const char *s, size_t n, bool attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;
	while (k < n) {
		size_t run = k;
		size_t l;
		while (run < n && (l = html_seq(p + run, n - run)) != 0 && p[run] != '&' && p[run] != '<' &&
		       p[run] != '>' && p[run] != '"')
			run += l;
		buf_raw(b, s + k, run - k);
		if (run == n)
			break;
		switch (p[run]) {
		case '&': buf_str(b, "&amp;"); break;
		case '<': buf_str(b, "&lt;"); break;
		case '>': buf_str(b, "&gt;"); break;
		case '"': buf_str(b, attr ? "&quot;" : "\""); break;
		default: buf_str(b, "\xef\xbf\xbd");
		}
		k = run + 1;
	}
}

static void buf_text(struct buf *b, const char *s, size_t n)
{
	buf_escaped(b, s, n, false);
}

static void buf_attr(struct buf *b, const char *s, size_t n)
{
	buf_escaped(b, s, n, true);
}

struct scope {
	const char *var; /* the loop variable (not NUL-terminated) */
	size_t varlen;
	json_object *val;
	size_t index;
	const struct scope *up;
};

enum vkind { V_JSON, V_INDEX, V_LANG };

struct val {
	enum vkind kind;
	json_object *j; /* V_JSON; NULL is null */
	size_t index;   /* V_INDEX */
};

struct rctx {
	const kefu_templates *t;
	const struct tpl *page; /* fills the layout's slots, or NULL */
	json_object *data;
	const char *lang;
	struct buf out;
	char *err;
	size_t errlen;
	int depth;
};

static struct val resolve(const struct rctx *c, const struct scope *s, const char *path)
{
	struct val v = {.kind = V_JSON};
	if (path[0] == '$') {
		if (strcmp(path, "$lang") == 0)
			v.kind = V_LANG;
		else if (s != NULL) {
			v.kind = V_INDEX;
			v.index = s->index;
		}
		return v;
	}
	char seg[PATH_MAX_LEN + 1];
	const char *p = path;
	size_t n = strcspn(p, ".");
	const struct scope *sc = s;
	while (sc && (sc->varlen != n || memcmp(sc->var, p, n) != 0))
		sc = sc->up;
	json_object *j;
	if (sc != NULL) {
		j = sc->val;
	} else {
		memcpy(seg, p, n);
		seg[n] = '\0';
		if (c->data == NULL || !json_object_object_get_ex(c->data, seg, &j))
			j = NULL;
	}
	for (p += n; *p == '.' && j != NULL;) {
		p++;
		n = strcspn(p, ".");
		memcpy(seg, p, n);
		seg[n] = '\0';
		p += n;
		json_object *next = NULL;
		if (json_object_is_type(j, json_type_object)) {
			if (!json_object_object_get_ex(j, seg, &next))
				next = NULL;
		} else if (json_object_is_type(j, json_type_array) && strspn(seg, "0123456789") == n && n < 10) {
			size_t idx = (size_t)strtoul(seg, NULL, 10);
			if (idx < json_object_array_length(j))
				next = json_object_array_get_idx(j, idx);
		}
		j = next;
	}
	v.j = j;
	return v;
}

static bool truthy(const struct rctx *c, struct val v)
{
	switch (v.kind) {
	case V_INDEX: return v.index != 0;
	case V_LANG: return c->lang[0] != '\0';
	case V_JSON: break;
	}
	switch (json_object_get_type(v.j)) {
	case json_type_null: return false;
	case json_type_boolean: return json_object_get_boolean(v.j);
	case json_type_int: return json_object_get_int64(v.j) != 0 || json_object_get_uint64(v.j) != 0;
	case json_type_double: return json_object_get_double(v.j) != 0.0;
	case json_type_string: return json_object_get_string_len(v.j) > 0;
	case json_type_array: return json_object_array_length(v.j) > 0;
	case json_type_object: return true;
	}
	return false;
}

struct str {
	const char *s;
	size_t n;
	char tmp[48];
};

/* The value as text; -1 for an object or array (a bug in the caller). */
static int stringify(const struct rctx *c, struct val v, struct str *out)
{
	out->s = out->tmp;
	switch (v.kind) {
	case V_INDEX: out->n = (size_t)snprintf(out->tmp, sizeof out->tmp, "%zu", v.index); return 0;
	case V_LANG:
		out->s = c->lang;
		out->n = strlen(c->lang);
		return 0;
	case V_JSON: break;
	}
	switch (json_object_get_type(v.j)) {
	case json_type_null:
		out->s = "";
		out->n = 0;
		return 0;
	case json_type_boolean:
		out->s = json_object_get_boolean(v.j) ? "true" : "false";
		out->n = strlen(out->s);
		return 0;
	case json_type_int: {
		int64_t i = json_object_get_int64(v.j);
		if (i == INT64_MAX)
			out->n = (size_t)snprintf(out->tmp, sizeof out->tmp, "%llu",
			                          (unsigned long long)json_object_get_uint64(v.j));
		else
			out->n = (size_t)snprintf(out->tmp, sizeof out->tmp, "%lld", (long long)i);
		return 0;
	}
	case json_type_double: {
		/* shortest of the usual precisions that reads back the same */
		double d = json_object_get_double(v.j);
		out->n = (size_t)snprintf(out->tmp, sizeof out->tmp, "%.15g", d);
		if (strtod(out->tmp, NULL) != d)
			out->n = (size_t)snprintf(out->tmp, sizeof out->tmp, "%.17g", d);
		return 0;
	}
	case json_type_string:
		out->s = json_object_get_string(v.j);
		out->n = (size_t)json_object_get_string_len(v.j);
		return 0;
	case json_type_array:
	case json_type_object: break;
	}
	return -1;
}

#define RERR(C, ...) set_err((C)->err, (C)->errlen, __VA_ARGS__)

static void write_qname(struct buf *b, const xmlNs *ns, const xmlChar *name, bool element)
{
	if (ns != NULL && ns->prefix != NULL && !(element && strcmp((const char *)ns->href, XHTML_NS) == 0)) {
		buf_str(b, (const char *)ns->prefix);
		buf_raw(b, ":", 1);
	}
	buf_str(b, (const char *)name);
}

static int render_element(struct rctx *c, const xmlNode *el, const struct scope *s);

static int render_children(struct rctx *c, const xmlNode *first, const struct scope *s)
{
	for (const xmlNode *n = first; n; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			if (render_element(c, n, s) < 0)
				return -1;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content == NULL)
				break;
			if (n->parent && n->parent->type == XML_ELEMENT_NODE && is_raw(n->parent))
				buf_str(&c->out, (const char *)n->content); /* static, checked at load */
			else
				buf_text(&c->out, (const char *)n->content, strlen((const char *)n->content));
			break;
		default: break; /* comments and PIs are for template authors */
		}
	}
	return 0;
}

static bool passes(const struct rctx *c, const xmlNode *el, const struct scope *s)
{
	const char *p = dir_val(el, D_IF);
	if (p != NULL && !truthy(c, resolve(c, s, p)))
		return false;
	p = dir_val(el, D_UNLESS);
	if (p != NULL && truthy(c, resolve(c, s, p)))
		return false;
	return true;
}

/* The element's children: from data-text, data-t, data-include, a slot, or as written. */
static int render_content(struct rctx *c, const xmlNode *el, const struct scope *s)
{
	const char *v;
	/* a filled slot replaces the layout's defaults, whatever made them */
	if (c->page != NULL && (v = dir_val(el, D_SLOT_TARGET)) != NULL) {
		const xmlNode *proot = xmlDocGetRootElement(c->page->doc);
		for (const xmlNode *sl = proot->children; sl; sl = sl->next) {
			const char *sname = sl->type == XML_ELEMENT_NODE ? dir_val(sl, D_SLOT) : NULL;
			if (sname == NULL || strcmp(sname, v) != 0)
				continue;
			/* a slot renders in the page's scope, not the layout's loops */
			if (!passes(c, sl, NULL))
				break;
			if (c->depth >= RENDER_MAX_DEPTH) {
				RERR(c, "slot \"%s\": nested too deep", v);
				return -1;
			}
			c->depth++;
			int rc = render_content(c, sl, NULL);
			c->depth--;
			return rc;
		}
	}
	if ((v = dir_val(el, D_TEXT)) != NULL) {
		struct str str;
		if (stringify(c, resolve(c, s, v), &str) < 0) {
			RERR(c, "data-text=\"%s\": an object or array is not text", v);
			return -1;
		}
		buf_text(&c->out, str.s, str.n);
		return 0;
	}
	if ((v = dir_val(el, D_T)) != NULL) {
		const char *msg = i18n_get(c->t->i18n, c->lang, v);
		buf_text(&c->out, msg, strlen(msg));
		return 0;
	}
	if ((v = dir_val(el, D_INCLUDE)) != NULL) {
		const struct tpl *inc = find_tpl(c->t, v);
		if (inc == NULL || c->depth >= RENDER_MAX_DEPTH) {
			RERR(c, "data-include=\"%s\": no such template or nested too deep", v);
			return -1;
		}
		c->depth++;
		int rc = render_children(c, xmlDocGetRootElement(inc->doc)->children, s);
		c->depth--;
		return rc;
	}
	return render_children(c, el->children, s);
}

static int render_once(struct rctx *c, const xmlNode *el, const struct scope *s)
{
	if (!passes(c, el, s))
		return 0;
	struct buf *b = &c->out;
	buf_raw(b, "<", 1);
	write_qname(b, el->ns, el->name, true);
	for (const xmlNs *ns = el->nsDef; ns; ns = ns->next) {
		/* HTML5 puts HTML elements in the XHTML namespace by itself */
		if (ns->prefix == NULL && strcmp((const char *)ns->href, XHTML_NS) == 0)
			continue;
		buf_str(b, ns->prefix ? " xmlns:" : " xmlns");
		if (ns->prefix)
			buf_str(b, (const char *)ns->prefix);
		buf_str(b, "=\"");
		buf_attr(b, (const char *)ns->href, strlen((const char *)ns->href));
		buf_raw(b, "\"", 1);
	}
	for (const xmlAttr *a = el->properties; a; a = a->next) {
		const char *sfx;
		enum dkind k = dkind(a, &sfx);
		const char *name = (const char *)a->name, *val;
		struct str str;
		if (k == D_NONE) {
			/* a static attribute that a directive sets is left to it */
			bool overridden = false;
			for (const xmlAttr *o = el->properties; a->ns == NULL && o; o = o->next) {
				enum dkind ok = dkind(o, &sfx);
				if ((ok == D_ATTR || ok == D_TATTR) && strcmp(sfx, name) == 0)
					overridden = true;
			}
			if (overridden)
				continue;
			val = attr_val(a);
			str.n = strlen(val);
		} else if (k == D_ATTR) {
			name = sfx;
			struct val v = resolve(c, s, attr_val(a));
			if (v.kind == V_JSON && (v.j == NULL || (json_object_is_type(v.j, json_type_boolean) &&
			                                         !json_object_get_boolean(v.j))))
				continue;
			if (v.kind == V_JSON && json_object_is_type(v.j, json_type_boolean)) {
				/* checked="checked", but an ARIA state takes the token true. */
				str.s = strncmp(name, "aria-", 5) == 0 ? "true" : name;
				str.n = strlen(str.s);
			} else if (strcmp(name, "aria-invalid") == 0) {
				/* Forms bind it to the field's error message: any message
				 * means the token true (the message itself is shown beside). */
				str.s = "true";
				str.n = 4;
			} else if (stringify(c, v, &str) < 0) {
				RERR(c, "%s=\"%s\": an object or array is not an attribute value", a->name,
				     attr_val(a));
				return -1;
			}
			if (is_url_attr(name) && !url_ok(str.s, str.n))
				continue;
			val = str.s;
		} else if (k == D_TATTR) {
			name = sfx;
			val = i18n_get(c->t->i18n, c->lang, attr_val(a));
			str.n = strlen(val);
		} else {
			continue;
		}
		buf_raw(b, " ", 1);
		write_qname(b, k == D_NONE ? a->ns : NULL, (const xmlChar *)name, false);
		buf_raw(b, "=\"", 2);
		buf_attr(b, val, str.n);
		buf_raw(b, "\"", 1);
	}
	if (is_void(el)) {
		buf_str(b, " />");
		return 0;
	}
	buf_raw(b, ">", 1);
	if (eats_newline(el))
		buf_raw(b, "\n", 1);
	if (render_content(c, el, s) < 0)
		return -1;
	buf_raw(b, "</", 2);
	write_qname(b, el->ns, el->name, true);
	buf_raw(b, ">", 1);
	return 0;
}

static int render_element(struct rctx *c, const xmlNode *el, const struct scope *s)
{
	const char *each = dir_val(el, D_EACH);
	if (each == NULL)
		return render_once(c, el, s);
	const char *var, *path;
	size_t varlen;
	each_parse(each, &var, &varlen, &path); /* checked at load */
	struct val v = resolve(c, s, path);
	if (v.kind == V_JSON && v.j == NULL)
		return 0;
	if (v.kind != V_JSON || !json_object_is_type(v.j, json_type_array)) {
		RERR(c, "data-each=\"%s\": not an array", each);
		return -1;
	}
	size_t n = json_object_array_length(v.j);
	for (size_t k = 0; k < n; k++) {
		struct scope inner = {
		    .var = var, .varlen = varlen, .val = json_object_array_get_idx(v.j, k), .index = k, .up = s};
		if (render_once(c, el, &inner) < 0)
			return -1;
	}
	return 0;
}

int tpl_render(const kefu_templates *t, const char *name, json_object *data, const char *lang, char **out,
               size_t *outlen, char *err, size_t errlen)
{
	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	const struct tpl *tp = t && name ? find_tpl(t, name) : NULL;
	if (tp == NULL) {
		set_err(err, errlen, "no template \"%s\"", name ? name : "(null)");
		return -1;
	}
	if (data != NULL && !json_object_is_type(data, json_type_object)) {
		set_err(err, errlen, "%s: the data must be a JSON object", name);
		return -1;
	}
	struct rctx c = {
	    .t = t,
	    .data = data,
	    /* the catalog's own tag, so that $lang names the language shown */
	    .lang = i18n_pick(t->i18n, lang, NULL),
	    .err = err,
	    .errlen = errlen,
	};
	const xmlNode *root = xmlDocGetRootElement(tp->doc);
	if (tp->layout != NULL) {
		c.page = tp;
		root = xmlDocGetRootElement(tp->layout->doc);
	}
	if (is_html(root) && strcmp((const char *)root->name, "html") == 0)
		buf_str(&c.out, "<!DOCTYPE html>\n");
	bool document = is_html(root) && strcmp((const char *)root->name, "html") == 0;
	if (render_element(&c, root, NULL) < 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err && errlen ? err : "");
		set_err(err, errlen, "%s: %s", name, msg);
		free(c.out.p);
		return -1;
	}
	if (document)
		buf_raw(&c.out, "\n", 1);
	buf_need(&c.out, 0);
	c.out.p[c.out.len] = '\0';
	*out = c.out.p;
	if (outlen != NULL)
		*outlen = c.out.len;
	return 0;
}
