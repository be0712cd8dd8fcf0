/* org-audit: the audit log as the API and the console page show it. */
#include "domain/org.h"

#include "store/store-audit.h"
#include "view/json.h"

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
	for (size_t i = 0; i < n; i++) {
		const struct audit_row *x = &rows[i];
		json_object *o = json_object_new_object(), *actor = json_object_new_object();
		json_object_object_add(actor, "type",
		                       x->actor_user_id    ? json_object_new_string("user")
		                       : x->actor_api_key_id ? json_object_new_string("api_key")
		                                             : NULL);
		json_object_object_add(actor, "id", json_id(x->actor_user_id ? x->actor_user_id : x->actor_api_key_id));
		json_object_object_add(actor, "name", x->actor_name ? json_object_new_string(x->actor_name) : NULL);
		json_object_object_add(o, "id", json_object_new_int64(x->id));
		json_object_object_add(o, "actor", actor);
		json_object_object_add(o, "action", json_object_new_string(x->action));
		json_object_object_add(o, "object_type", json_object_new_string(x->object_type));
		json_object_object_add(o, "object_id", json_id(x->object_id));
		json_object *sum = x->summary ? json_tokener_parse(x->summary) : NULL;
		json_object_object_add(o, "summary", sum ? sum : json_object_new_object());
		json_object_object_add(o, "created_at", json_time(x->created_at));
		json_object_array_add(items, o);
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "items", items);
	json_object_object_add(*out, "next_after", more && n > 0 ? json_object_new_int64(rows[n - 1].id) : NULL);
	return KEFU_OK;
}
