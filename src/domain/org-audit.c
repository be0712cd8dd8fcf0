/* org-audit: the audit log as the API and the console page show it. */
#include "domain/org.h"

#include "store/store-audit.h"
#include "view/json.h"
#include "view/org-json.h"

kefu_err org_audit_page(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t after, int64_t limit,
                        json_object **out)
{
	struct audit_row *rows;
	size_t n;
	/* One more than asked tells whether a next page exists. */
	kefu_err e = db_audit_list(db, a, tenant_id, after, limit + 1, &rows, &n);
	if (e != KEFU_OK)
		return e;
	bool more = n > (size_t)limit;
	if (more)
		n = (size_t)limit;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, audit_entry_json(&rows[i]));
	*out = json_page(items, more && n > 0 ? rows[n - 1].id : 0);
	return KEFU_OK;
}
