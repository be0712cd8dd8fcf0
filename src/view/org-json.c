/* org-json: the JSON views of the organisation's audit entries and API keys. */
#include "view/org-json.h"

#include "view/json.h"

json_object *audit_entry_json(const struct audit_row *x)
{
	json_object *o = json_object_new_object(), *actor = json_object_new_object();
	json_object_object_add(actor, "type",
	                       x->actor_user_id      ? json_object_new_string("user")
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
	return o;
}

static json_object *key_scopes(const void *row)
{
	const struct api_key_row *k = row;
	json_object *scopes = json_object_new_array();
	if (k->admin)
		json_object_array_add(scopes, json_object_new_string("admin"));
	if (k->crm)
		json_object_array_add(scopes, json_object_new_string("crm"));
	return scopes;
}

static const struct json_field key_fields[] = {
    JSON_FIELD(struct api_key_row, id, I64),          JSON_FIELD(struct api_key_row, name, STR),
    JSON_FIELD(struct api_key_row, prefix, STR),      JSON_FIELD_FN("scopes", key_scopes),
    JSON_FIELD(struct api_key_row, created_at, TIME), JSON_FIELD(struct api_key_row, last_used_at, TIME),
};

json_object *api_key_json(const struct api_key_row *k)
{
	return JSON_VIEW(k, key_fields);
}
