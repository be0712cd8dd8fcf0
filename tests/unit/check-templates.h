/* check-templates: the tree's own templates with its catalog (po/), loaded as a worker loads them, for the tests
 * that render them. */
#ifndef KEFU_TESTS_CHECK_TEMPLATES_H
#define KEFU_TESTS_CHECK_TEMPLATES_H

#include <check.h>
#include <stdio.h>

#include "check-main.h"
#include "view/i18n.h"
#include "view/template.h"

/* The templates of templates/ with the catalog of po/ in *i18n; the test frees both (tpl_free, i18n_free). */
static inline kefu_templates *check_tree_templates(struct kefu_i18n **i18n)
{
	char dir[4096], err[512] = "";
	snprintf(dir, sizeof dir, "%s/po", check_srcdir());
	*i18n = i18n_load_dir(dir, err, sizeof err);
	ck_assert_msg(*i18n != NULL, "%s", err);
	snprintf(dir, sizeof dir, "%s/templates", check_srcdir());
	kefu_templates *t = tpl_load_dir(dir, *i18n, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	return t;
}

#endif
