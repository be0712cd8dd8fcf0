/* store-channels: SQL for the channels table. */
#include "store/store-channels.h"

#include <stdlib.h>

#include <json-c/json.h>

#include "crypto/random.h"
#include "http/request.h"
#include "store/store-audit.h"

#define CHANNEL_COLUMNS "id, tenant_id, `key`, name, allowed_origins, style, prechat_fields, created_at, updated_at"

static void read_row(const struct db_result *r, size_t i, struct channel_row *c)
{
	c->id = db_i64(r, i, 0);
	c->tenant_id = db_i64(r, i, 1);
	c->key = db_str(r, i, 2);
	c->name = db_str(r, i, 3);
	c->allowed_origins = db_str(r, i, 4);
	c->style = db_str(r, i, 5);
	c->prechat_fields = db_str(r, i, 6);
	c->created_at = db_str(r, i, 7);
	c->updated_at = db_str(r, i, 8);
}

static kefu_err one(const struct db_result *r, struct channel_row *out)
{
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, out);
	return KEFU_OK;
}

kefu_err db_channel_create(struct kefu_db *db, int64_t tenant_id, const char *key, const char *name,
                           const char *allowed_origins, const char *style, const char *prechat_fields, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO channels (tenant_id, `key`, name, allowed_origins, style, prechat_fields)"
	               " VALUES (?, ?, ?, ?, ?, ?)",
	               "isssss", tenant_id, key, name, allowed_origins, style, prechat_fields);
}

kefu_err db_channel_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct channel_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " CHANNEL_COLUMNS " FROM channels WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                      "ii", tenant_id, id);
	return e != KEFU_OK ? e : one(r, out);
}

kefu_err db_channel_by_key(struct kefu_db *db, kefu_arena *a, const char *key, struct channel_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT " CHANNEL_COLUMNS " FROM channels WHERE `key` = ? AND deleted_at IS NULL",
	                      "s", key);
	return e != KEFU_OK ? e : one(r, out);
}

kefu_err db_channel_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct channel_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " CHANNEL_COLUMNS " FROM channels WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id",
	                      "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		read_row(r, i, &(*rows)[i]);
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_channel_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name,
                           const char *allowed_origins, const char *style, const char *prechat_fields)
{
	uint64_t n = 0;
	/* updated_at is set explicitly: an update that changes nothing still
	 * matches (affected rows count changed rows only). */
	kefu_err e = db_exec(db, &n, NULL,
	                     "UPDATE channels SET name = ?, allowed_origins = ?, style = ?, prechat_fields = ?,"
	                     " updated_at = NOW(3) WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                     "ssssii", name, allowed_origins, style, prechat_fields, tenant_id, id);
	if (e == KEFU_OK && n == 0)
		e = KEFU_E_NOT_FOUND;
	return e;
}

kefu_err db_channel_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	uint64_t n = 0;
	kefu_err e = db_exec(db, &n, NULL,
	                     "UPDATE channels SET deleted_at = NOW(3) WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                     "ii", tenant_id, id);
	if (e == KEFU_OK && n == 0)
		e = KEFU_E_NOT_FOUND;
	return e;
}

kefu_err db_channel_tenant_online(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool *online)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = ? AND status = 'online'"
	                      " AND deleted_at IS NULL)",
	                      "i", tenant_id);
	if (e == KEFU_OK)
		*online = db_i64(r, 0, 0) != 0;
	return e;
}

struct save_ctx {
	struct kefu_req *r;
	int64_t id;      /* the channel to update or delete; 0 to create */
	const char *name, *origins, *style, *prechat;
	bool deleting;
	int64_t created; /* out: the new channel's id (written on every try, so a retry overwrites it) */
};

static json_object *summary(const struct save_ctx *c)
{
	json_object *after = json_object_new_object(), *o = json_object_new_object();
	json_object_object_add(after, "name", json_object_new_string(c->name));
	json_object_object_add(after, "allowed_origins", json_tokener_parse(c->origins));
	json_object_object_add(after, "style", json_tokener_parse(c->style));
	json_object_object_add(after, "prechat_fields", json_tokener_parse(c->prechat));
	json_object_object_add(o, "after", after);
	return o;
}

static kefu_err save_tx(struct kefu_db *db, void *arg)
{
	struct save_ctx *c = arg;
	struct kefu_req *r = c->r;
	int64_t tenant = r->caller.tenant_id;
	if (c->deleting) {
		kefu_err e = db_channel_delete(db, tenant, c->id);
		return e != KEFU_OK ? e : audit_record(db, &r->actor, "delete", "channel", c->id, NULL);
	}
	if (c->id != 0) {
		kefu_err e = db_channel_update(db, tenant, c->id, c->name, c->origins, c->style, c->prechat);
		return e != KEFU_OK ? e : audit_record(db, &r->actor, "update", "channel", c->id, summary(c));
	}
	/* 18 random bytes: 24 URL-safe characters, unguessable; a collision
	 * (duplicate key) tries a new one. */
	kefu_err e = KEFU_E_CONFLICT;
	int64_t id = 0;
	for (int tries = 0; tries < 3 && e == KEFU_E_CONFLICT; tries++) {
		char *key = crypto_token(18);
		if (key == NULL)
			return KEFU_E_INTERNAL;
		e = db_channel_create(db, tenant, key, c->name, c->origins, c->style, c->prechat, &id);
		free(key);
	}
	if (e != KEFU_OK)
		return e;
	c->created = id;
	return audit_record(db, &r->actor, "create", "channel", id, summary(c));
}

kefu_err db_channel_save_audited(struct kefu_req *r, int64_t *id, const char *name, const char *allowed_origins,
                                 const char *style, const char *prechat_fields)
{
	struct save_ctx c = {.r = r, .id = *id, .name = name, .origins = allowed_origins, .style = style,
	                     .prechat = prechat_fields};
	kefu_err e = db_tx(r->db, save_tx, &c);
	if (e == KEFU_OK && *id == 0)
		*id = c.created;
	return e;
}

kefu_err db_channel_delete_audited(struct kefu_req *r, int64_t id)
{
	struct save_ctx c = {.r = r, .id = id, .deleting = true};
	return db_tx(r->db, save_tx, &c);
}
