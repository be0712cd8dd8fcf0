/* leave-messages: messages left while nobody could answer: the inbox agents read and mark handled. */
#include "domain/leave-messages.h"

#include "domain/mail.h"
#include "domain/webhooks.h"
#include "view/json.h"

kefu_err leave_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct leave_row *out)
{
	return db_leave_get(db, a, tenant_id, id, out);
}

kefu_err leave_handle(struct kefu_db *db, int64_t tenant_id, int64_t id, int64_t user_id, const char *note)
{
	return db_leave_handle(db, tenant_id, id, user_id, note);
}

kefu_err leave_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *status, int64_t limit,
                    struct leave_row **rows, size_t *n)
{
	return db_leave_list(db, a, tenant_id, status, limit, rows, n);
}

struct leave_ctx {
	int64_t tenant_id, channel_id, visitor_id, rule_id;
	const char *fields;
	int64_t *id;
};

static kefu_err leave_tx(struct kefu_db *db, void *p)
{
	struct leave_ctx *c = p;
	kefu_err e = db_leave_create(db, c->tenant_id, c->channel_id, c->visitor_id, c->rule_id, c->fields, c->id);
	if (e != KEFU_OK)
		return e;
	json_object *l = json_object_new_object();
	json_object_object_add(l, "id", json_object_new_int64(*c->id));
	json_object_object_add(l, "channel_id", json_object_new_int64(c->channel_id));
	json_object_object_add(l, "visitor_id", json_id(c->visitor_id));
	json_object *f = json_tokener_parse(c->fields);
	json_object_object_add(l, "fields", f ? f : json_object_new_object());
	json_object *p2 = json_object_new_object();
	json_object_object_add(p2, "leave_message", l);
	e = webhook_enqueue(db, c->tenant_id, "leave_message.created", p2);
	json_object_put(p2);
	if (e == KEFU_OK)
		e = mail_leave_message(db, c->tenant_id, c->channel_id, *c->id); /* the members' notice, same tx */
	return e;
}

kefu_err leave_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id, int64_t rule_id,
                      const char *fields, int64_t *id)
{
	struct leave_ctx c = {tenant_id, channel_id, visitor_id, rule_id, fields, id};
	return db_tx(db, leave_tx, &c);
}
