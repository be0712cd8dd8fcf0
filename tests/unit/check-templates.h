/* check-templates: catalogs and templates of the source tree (the tree's own, the golden ones), loaded as a worker
 * loads them, for the tests that render them. */
#ifndef KEFU_TESTS_CHECK_TEMPLATES_H
#define KEFU_TESTS_CHECK_TEMPLATES_H

#include <check.h>
#include <stdio.h>

#include "check-main.h"
#include "view/i18n.h"
#include "view/template.h"

/* The catalogs of dir, a folder of the source tree ("po", "tests/golden/po"); the test frees them (i18n_free). */
static inline struct kefu_i18n *check_catalogs(const char *dir)
{
	char path[4096], err[512] = "";
	snprintf(path, sizeof path, "%s/%s", check_srcdir(), dir);
	struct kefu_i18n *i = i18n_load_dir(path, err, sizeof err);
	ck_assert_msg(i != NULL, "%s", err);
	return i;
}

/* The templates of dir, a folder of the source tree, with the catalogs i; the test frees them (tpl_free). */
static inline kefu_templates *check_templates(const char *dir, const struct kefu_i18n *i)
{
	char path[4096], err[512] = "";
	snprintf(path, sizeof path, "%s/%s", check_srcdir(), dir);
	kefu_templates *t = tpl_load_dir(path, i, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	return t;
}

/* Catalogs and the templates loaded with them, freed together. */
struct check_tpl {
	struct kefu_i18n *i18n;
	kefu_templates *t;
};

/* po and templates: folders of the source tree. */
static inline struct check_tpl check_tpl_load(const char *po, const char *templates)
{
	struct check_tpl c = {.i18n = check_catalogs(po)};
	c.t = check_templates(templates, c.i18n);
	return c;
}

/* The tree's own, as a worker loads them. */
static inline struct check_tpl check_tree(void)
{
	return check_tpl_load("po", "templates");
}

static inline void check_tpl_free(struct check_tpl c)
{
	tpl_free(c.t);
	i18n_free(c.i18n);
}

#endif
