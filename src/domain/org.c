/* org: users, departments and agent groups: validation, transactional saves with audit, JSON views. */
#include "domain/org.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/password.h"
#include "core/ids.h"
#include "core/json-doc.h"
#include "store/store-audit.h"
#include "store/store-departments.h"
#include "store/store-groups.h"
#include "store/store-rows.h"
#include "store/store-sessions.h"
#include "store/store-users.h"
#include "view/json.h"
#include "view/mail.h"

static const char *const roles[] = {"admin", "agent", NULL};

/* An optional string that JSON null clears. */
static kefu_err nullable_string(json_object *in, const char *name, size_t max, const char **out, bool *present,
                                const char **bad)
{
	*present = false;
	*out = NULL;
	if (jb_is_null(in, name)) {
		*present = true;
		return KEFU_OK;
	}
	kefu_err e = jb_string(in, name, false, 1, max, out, bad);
	if (e == KEFU_OK && *out != NULL)
		*present = true;
	return e;
}

/* ---- parsing ---- */

/* An optional list of ids, the first of each kept; a bad one is a fault in
 * fs (why) and reads as absent. */
static void id_list(kefu_arena *a, json_object *in, const char *name, const char *why, int64_t **ids, size_t *n,
                    struct fault *fs)
{
	const char *bad = NULL;
	if (jb_id_array(in, name, false, ORG_MAX_IDS, a, ids, n, &bad) != KEFU_OK) {
		fault_add(fs, a, bad, why);
		*ids = NULL;
		*n = 0;
	}
	*n = ids_dedupe(*ids, *n);
}

kefu_err org_user_parse_all(kefu_arena *a, json_object *in, bool create, struct org_user_in *out, struct fault *fs)
{
	*out = (struct org_user_in){0};
	const char *bad = NULL;
	size_t before = fs->nall;
	/* Every field is checked, so a form marks all that are wrong at once. */
	if (jb_string(in, "login", create, 1, 100, &out->login, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "required, at most 100 characters");
	else if (out->login &&
	         (strspn(out->login, " \t\r\n") > 0 || strchr(" \t\r\n", out->login[strlen(out->login) - 1]) != NULL))
		/* Logins are typed at a login prompt: no spaces or control characters at the ends. */
		fault_add(fs, a, "login", "no spaces at either end");
	if (jb_string(in, "name", create, 1, 200, &out->name, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "required, at most 200 characters");
	if (jb_string(in, "password", false, 8, 1024, &out->password, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "at least 8 characters");
	if (jb_enum(in, "role", create, roles, &out->role, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "admin or agent");
	if (nullable_string(in, "external_id", 200, &out->external_id, &out->has_external_id, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "at most 200 characters");
	if (nullable_string(in, "email", 254, &out->email, &out->has_email, &bad) != KEFU_OK ||
	    (out->email && !mail_addr_ok(out->email)))
		fault_add(fs, a, "email", "not an e-mail address");
	if (jb_bool(in, "leave_digest", false, &out->leave_digest, &out->has_leave_digest, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "true or false");
	id_list(a, in, "department_ids", "a list of department ids", &out->department_ids, &out->ndepartments, fs);
	if (jb_string_array(in, "department_external_ids", false, ORG_MAX_IDS, 1, 200, a, &out->department_external_ids,
	                    &out->ndepartment_external_ids, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "a list of department external ids");
	if (fs->nall > before)
		return KEFU_E_INVALID_FIELD;
	out->has_departments = out->department_ids != NULL || out->department_external_ids != NULL;
	return KEFU_OK;
}

kefu_err org_user_parse(kefu_arena *a, json_object *in, bool create, struct org_user_in *out, const char **bad)
{
	struct fault f = {0};
	kefu_err e = org_user_parse_all(a, in, create, out, &f);
	*bad = f.field;
	return e;
}

kefu_err org_dept_parse(kefu_arena *a, json_object *in, bool create, struct org_dept_in *out, const char **bad)
{
	(void)a;
	*out = (struct org_dept_in){0};
	kefu_err e = jb_string(in, "name", create, 1, 200, &out->name, bad);
	if (e == KEFU_OK)
		e = nullable_string(in, "external_id", 200, &out->external_id, &out->has_external_id, bad);
	if (e == KEFU_OK) {
		if (jb_is_null(in, "parent_id"))
			out->has_parent = true;
		else
			e = jb_id(in, "parent_id", false, &out->parent_id, &out->has_parent, bad);
	}
	if (e == KEFU_OK) {
		bool present;
		e = nullable_string(in, "parent_external_id", 200, &out->parent_external_id, &present, bad);
		if (present)
			out->has_parent = true;
	}
	return e;
}

kefu_err org_group_parse_all(kefu_arena *a, json_object *in, bool create, struct org_group_in *out, struct fault *fs)
{
	*out = (struct org_group_in){0};
	const char *bad = NULL;
	size_t before = fs->nall;
	/* Every part is checked, so a form marks all that are wrong at once (the first fault in the hours). */
	if (jb_string(in, "name", create, 1, 200, &out->name, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "required, at most 200 characters");
	id_list(a, in, "member_user_ids", "a list of user ids", &out->member_user_ids, &out->nmembers, fs);
	id_list(a, in, "member_department_ids", "a list of department ids", &out->member_department_ids,
	        &out->ndepartments, fs);
	out->has_members = out->member_user_ids != NULL;
	out->has_departments = out->member_department_ids != NULL;
	json_object *sh = NULL;
	if (jb_is_null(in, "service_hours")) {
		out->has_service_hours = true;
	} else if (jb_object(in, "service_hours", false, &sh, &bad) != KEFU_OK) {
		fault_add(fs, a, bad, "an object {timezone, weekly, closed_dates}");
	} else if (sh != NULL) {
		struct service_hours h;
		if (org_hours_parse(a, sh, &h, &bad) != KEFU_OK) {
			fault_add(fs, a, bad, "not valid service hours");
		} else {
			json_object *canon = org_hours_json(&h);
			out->service_hours =
			    arena_strdup(a, json_object_to_json_string_ext(canon, JSON_C_TO_STRING_PLAIN |
			                                                              JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(canon);
			out->has_service_hours = true;
		}
	}
	return fs->nall > before ? KEFU_E_INVALID_FIELD : KEFU_OK;
}

/* ---- views ---- */

/* A list of ids read for a row: a user's departments, a group's members
 * (a link table's, link), or computed (ids: a group's effective members). */
struct org_relation {
	const char *name;
	const struct id_link *link;
	kefu_err (*ids)(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, int64_t **ids, size_t *n);
};

/* What differs between the views of a user, a department and a group: how
 * its rows are read (each starts with `int64_t id`), their fields, and the
 * relations read for each row. */
struct org_view {
	size_t size;
	kefu_err (*get)(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, void *row);
	kefu_err (*list)(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, void **rows, size_t *n);
	const struct json_field *fields;
	size_t nfields;
	struct org_relation rel[3]; /* up to the first without a name */
};

/* The row readers of db_<x>_get / db_<x>_list, for any row type. */
#define ORG_ROWS(x, T)                                                                                                 \
	static kefu_err x##_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, void *row)           \
	{                                                                                                              \
		return db_##x##_get(db, a, tenant_id, id, row);                                                        \
	}                                                                                                              \
	static kefu_err x##_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, void **rows, size_t *n)         \
	{                                                                                                              \
		return db_##x##_list(db, a, tenant_id, (T **)rows, n);                                                 \
	}

ORG_ROWS(user, struct user_row)
ORG_ROWS(dept, struct dept_row)
ORG_ROWS(group, struct group_row)

static const struct json_field user_fields[] = {
    JSON_FIELD(struct user_row, id, I64),
    JSON_FIELD(struct user_row, login, STR),
    JSON_FIELD(struct user_row, name, STR),
    JSON_FIELD(struct user_row, role, STR),
    JSON_FIELD(struct user_row, external_id, STR),
    JSON_FIELD(struct user_row, email, STR),
    JSON_FIELD(struct user_row, leave_digest, BOOL),
    JSON_FIELD(struct user_row, lang, STR),
    JSON_FIELD(struct user_row, status, STR),
    JSON_FIELD(struct user_row, created_at, TIME),
    JSON_FIELD(struct user_row, updated_at, TIME),
};
static const struct org_view user_view = {sizeof(struct user_row),
                                          user_get,
                                          user_list,
                                          user_fields,
                                          JSON_NFIELDS(user_fields),
                                          {{"department_ids", .link = &db_user_departments}}};

static const struct json_field dept_fields[] = {
    JSON_FIELD(struct dept_row, id, I64),          JSON_FIELD(struct dept_row, name, STR),
    JSON_FIELD(struct dept_row, parent_id, ID),    JSON_FIELD(struct dept_row, external_id, STR),
    JSON_FIELD(struct dept_row, created_at, TIME), JSON_FIELD(struct dept_row, updated_at, TIME),
};
static const struct org_view dept_view = {sizeof(struct dept_row),
                                          dept_get,
                                          dept_list,
                                          dept_fields,
                                          JSON_NFIELDS(dept_fields),
                                          {{"member_user_ids", .link = &db_dept_members}}};

static const struct json_field group_fields[] = {
    JSON_FIELD(struct group_row, id, I64),
    JSON_FIELD(struct group_row, name, STR),
    JSON_FIELD(struct group_row, service_hours, PARSED),
    JSON_FIELD(struct group_row, created_at, TIME),
    JSON_FIELD(struct group_row, updated_at, TIME),
};
static const struct org_view group_view = {sizeof(struct group_row),
                                           group_get,
                                           group_list,
                                           group_fields,
                                           JSON_NFIELDS(group_fields),
                                           {{"member_user_ids", .link = &db_group_members},
                                            {"member_department_ids", .link = &db_group_departments},
                                            {"effective_member_ids", .ids = db_group_effective_members}}};

/* The JSON of a row already read: only the row's relations are queried. */
static kefu_err row_json(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct org_view *v,
                         const void *row, json_object **out)
{
	json_object *o = json_fields(json_object_new_object(), row, v->fields, v->nfields);
	for (const struct org_relation *r = v->rel; r < v->rel + 3 && r->name; r++) {
		int64_t *ids;
		size_t n;
		kefu_err e = r->link ? rows_link_get(db, a, r->link, tenant_id, CRUD_ID(row), &ids, &n)
		                     : r->ids(db, a, tenant_id, CRUD_ID(row), &ids, &n);
		if (e != KEFU_OK) {
			json_object_put(o);
			return e;
		}
		json_object_object_add(o, r->name, json_ids(ids, n));
	}
	*out = o;
	return KEFU_OK;
}

static kefu_err view_get(const struct org_view *v, struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id,
                         json_object **out)
{
	void *row = arena_calloc(a, 1, v->size);
	kefu_err e = v->get(db, a, tenant_id, id, row);
	return e != KEFU_OK ? e : row_json(db, a, tenant_id, v, row, out);
}

/* {"items": [...]}: the JSON of each row in list order. */
static kefu_err view_list(const struct org_view *v, struct kefu_db *db, kefu_arena *a, int64_t tenant_id,
                          json_object **out)
{
	char *rows;
	size_t n;
	kefu_err e = v->list(db, a, tenant_id, (void **)&rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o;
		e = row_json(db, a, tenant_id, v, rows + i * v->size, &o);
		if (e != KEFU_OK) {
			json_object_put(items);
			return e;
		}
		json_object_array_add(items, o);
	}
	*out = json_items(items);
	return KEFU_OK;
}

/* The public view and list of each kind. */
#define ORG_VIEWS(x)                                                                                                   \
	kefu_err org_##x##_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out)   \
	{                                                                                                              \
		return view_get(&x##_view, db, a, tenant_id, id, out);                                                 \
	}                                                                                                              \
	kefu_err org_##x##_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out)               \
	{                                                                                                              \
		return view_list(&x##_view, db, a, tenant_id, out);                                                    \
	}

ORG_VIEWS(user)
ORG_VIEWS(dept)
ORG_VIEWS(group)

typedef kefu_err (*view_fn)(struct kefu_db *, kefu_arena *, int64_t, int64_t, json_object **);

/* ---- saving ---- */

static json_object *summary(json_object *before, json_object *after)
{
	json_object *s = json_object_new_object();
	if (before)
		json_object_object_add(s, "before", before);
	if (after)
		json_object_object_add(s, "after", json_object_get(after));
	return s;
}

/* What a save transaction needs; it may run several times (db_tx retries). */
struct save {
	const struct crud_ctx *c;
	const struct org_kind *kind;
	const void *in;
	const char *hash; /* users: the new password's hash */
	int64_t id;       /* 0: create */
	int64_t new_id;
	json_object *view;
};

/* What differs between saving a user, a department and a group: the
 * object's view (before and after, for the audit entry) and write, the
 * object's own rules and its rows (sets s->new_id on a create). */
struct org_kind {
	const struct crud_ops *ops;
	view_fn view;
	kefu_err (*write)(struct kefu_db *db, struct save *s);
};

static kefu_err save_tx(struct kefu_db *db, void *ctx)
{
	struct save *s = ctx;
	const struct crud_ctx *c = s->c;
	int64_t tenant = c->who->tenant_id;
	json_object_put(s->view);
	s->view = NULL;
	s->new_id = s->id;
	json_object *before = NULL;
	kefu_err e = s->id ? s->kind->view(db, c->a, tenant, s->id, &before) : KEFU_OK;
	if (e == KEFU_OK)
		e = s->kind->write(db, s);
	if (e == KEFU_OK)
		e = s->kind->view(db, c->a, tenant, s->new_id, &s->view);
	if (e == KEFU_OK) {
		json_object *sum = summary(before, s->view);
		before = NULL;
		if (s->hash != NULL)
			json_object_object_add(sum, "password_changed", json_object_new_boolean(1));
		e = audit_record(db, c->who, s->id ? "update" : "create", s->kind->ops->audit_type, s->new_id, sum);
	}
	json_object_put(before);
	return e;
}

static kefu_err user_conflict(const struct crud_ctx *c, struct kefu_db *db, const char *login, int64_t self)
{
	struct user_row other;
	if (login != NULL && db_user_by_login(db, c->a, login, &other) == KEFU_OK && other.id != self)
		return fault_set(c->fault, KEFU_E_CONFLICT, "login", "This login is taken.");
	return fault_set(c->fault, KEFU_E_CONFLICT, "external_id", "This external_id is taken.");
}

/*
 * The security rules (docs/security.md, the credentials table): a key with scope crm but not admin manages agents
 * only. It may create agents and rename or re-department existing ones; it may
 * not make an admin, change anyone's role, set the password of a user who
 * already exists (that would be a login as them), or touch an admin at all.
 * existing is NULL when the save creates the user. Checked inside the save's
 * transaction, on the row it updates.
 */
static kefu_err crm_only_allows(const struct crud_ctx *c, const struct org_user_in *in, const struct user_row *existing)
{
	if (c->who->api_key_id == 0 || c->who->admin)
		return KEFU_OK;
	if (existing == NULL)
		return in->role != NULL && strcmp(in->role, "admin") == 0
		           ? fault_set(c->fault, KEFU_E_FORBIDDEN, "role", "A CRM key cannot make admins.")
		           : KEFU_OK;
	if (in->role != NULL && strcmp(in->role, existing->role) != 0)
		return fault_set(c->fault, KEFU_E_FORBIDDEN, "role", "A CRM key cannot change roles.");
	if (in->password != NULL)
		return fault_set(c->fault, KEFU_E_FORBIDDEN, "password",
		                 "A CRM key cannot set an existing user's password.");
	if (strcmp(existing->role, "admin") == 0)
		return fault_set(c->fault, KEFU_E_FORBIDDEN, "external_id", "A CRM key cannot change an admin.");
	/* Where a user's mail goes is theirs and the admins' to say: a CRM key
	 * that could change it could read every left message. */
	if (in->has_email)
		return fault_set(c->fault, KEFU_E_FORBIDDEN, "email",
		                 "A CRM key cannot change an existing user's e-mail.");
	if (in->has_leave_digest)
		return fault_set(c->fault, KEFU_E_FORBIDDEN, "leave_digest",
		                 "A CRM key cannot change an existing user's mail settings.");
	return KEFU_OK;
}

static kefu_err user_write(struct kefu_db *db, struct save *s)
{
	const struct crud_ctx *c = s->c;
	const struct org_user_in *in = s->in;
	int64_t tenant = c->who->tenant_id;
	struct user_row row = {0};
	kefu_err e = s->id ? db_user_get(db, c->a, tenant, s->id, &row) : KEFU_OK;
	if (e == KEFU_OK)
		e = crm_only_allows(c, in, s->id != 0 ? &row : NULL);
	if (e != KEFU_OK)
		return e;
	const int64_t *depts = in->department_ids;
	size_t nd = in->ndepartments;
	if (in->department_external_ids != NULL) {
		int64_t *ids = arena_calloc(c->a, in->ndepartment_external_ids + 1, sizeof *ids);
		for (size_t i = 0; i < in->ndepartment_external_ids; i++) {
			struct dept_row d;
			e = db_dept_by_external(db, c->a, tenant, in->department_external_ids[i], &d);
			if (e == KEFU_E_NOT_FOUND)
				e = fault_set(c->fault, KEFU_E_INVALID_FIELD, "department_external_ids",
				              "No such department.");
			if (e != KEFU_OK)
				return e;
			ids[i] = d.id;
		}
		nd = ids_dedupe(ids, in->ndepartment_external_ids);
		depts = ids;
	} else if (in->department_ids != NULL) {
		bool all;
		e = db_depts_exist(db, c->a, tenant, depts, nd, &all);
		if (e == KEFU_OK && !all)
			e = fault_set(c->fault, KEFU_E_INVALID_FIELD, "department_ids", "No such department.");
		if (e != KEFU_OK)
			return e;
	}
	/* The row as it will be: what the body leaves out stays as it is. */
	struct user_row u = row;
	u.id = s->id;
	if (in->login)
		u.login = in->login;
	if (in->name)
		u.name = in->name;
	if (in->role)
		u.role = in->role;
	if (in->has_external_id)
		u.external_id = in->external_id;
	if (in->has_email)
		u.email = in->email;
	if (in->has_leave_digest)
		u.leave_digest = in->leave_digest;
	if (s->id == 0) {
		e = db_user_create(db, tenant, &u, s->hash, &s->new_id);
		if (e == KEFU_E_CONFLICT)
			e = user_conflict(c, db, u.login, 0);
	} else {
		e = db_user_update(db, tenant, &u);
		if (e == KEFU_E_CONFLICT)
			e = user_conflict(c, db, u.login, s->id);
		if (e == KEFU_OK && s->hash != NULL) {
			e = db_user_set_password(db, tenant, s->id, s->hash);
			/* A new password ends the user's other sessions (not the admin's own). */
			if (e == KEFU_OK && c->who->user_id != s->id)
				e = db_session_delete_user(db, tenant, s->id);
		}
	}
	if (e == KEFU_OK && in->has_departments)
		e = rows_link_set(db, &db_user_departments, tenant, s->new_id, depts, nd);
	return e;
}

static const struct org_kind user_kind = {&org_user_ops, org_user_view, user_write};

static kefu_err run_save(const struct crud_ctx *c, const struct org_kind *kind, struct save *s, int64_t *id,
                         json_object **view)
{
	s->c = c;
	s->kind = kind;
	kefu_err e = db_tx(c->db, save_tx, s);
	if (e != KEFU_OK) {
		json_object_put(s->view);
		return e;
	}
	*id = s->new_id;
	if (view)
		*view = s->view;
	else
		json_object_put(s->view);
	return KEFU_OK;
}

kefu_err org_user_save(const struct crud_ctx *c, const struct org_user_in *in, int64_t *id, json_object **view)
{
	/* A user without a password is allowed (the password field is optional): it cannot
	 * log in until an admin sets one. Hashing is slow, so it runs once,
	 * outside the transaction that may be retried. */
	struct save s = {.in = in, .id = *id};
	char *hash = NULL;
	if (in->password != NULL) {
		hash = password_hash(in->password);
		if (hash == NULL)
			return KEFU_E_INTERNAL;
		s.hash = arena_strdup(c->a, hash);
		free(hash);
	}
	return run_save(c, &user_kind, &s, id, view);
}

static kefu_err dept_write(struct kefu_db *db, struct save *s)
{
	const struct crud_ctx *c = s->c;
	const struct org_dept_in *in = s->in;
	int64_t tenant = c->who->tenant_id;
	struct dept_row row = {0};
	kefu_err e = s->id ? db_dept_get(db, c->a, tenant, s->id, &row) : KEFU_OK;
	if (e != KEFU_OK)
		return e;
	int64_t parent = in->has_parent ? in->parent_id : row.parent_id;
	const char *pfield = "parent_id";
	if (in->parent_external_id != NULL) {
		struct dept_row p;
		pfield = "parent_external_id";
		e = db_dept_by_external(db, c->a, tenant, in->parent_external_id, &p);
		if (e == KEFU_E_NOT_FOUND)
			e = fault_set(c->fault, KEFU_E_INVALID_FIELD, pfield, "No such department.");
		if (e != KEFU_OK)
			return e;
		parent = p.id;
	}
	if (in->has_parent && parent != 0) {
		/* Walk up from the new parent: meeting this department is a cycle. */
		int64_t at = parent;
		for (int steps = 0; at != 0; steps++) {
			if ((s->id != 0 && at == s->id) || steps > 1000) {
				e = fault_set(c->fault, KEFU_E_INVALID_FIELD, pfield,
				              "A department cannot be inside itself.");
				return e;
			}
			e = db_dept_parent(db, c->a, tenant, at, &at);
			if (e == KEFU_E_NOT_FOUND)
				e = fault_set(c->fault, KEFU_E_INVALID_FIELD, pfield, "No such department.");
			if (e != KEFU_OK)
				return e;
		}
	}
	if (s->id == 0) {
		e = db_dept_create(db, tenant, in->name, parent, in->external_id, &s->new_id);
	} else {
		e = db_dept_update(db, tenant, s->id, in->name ? in->name : row.name, parent,
		                   in->has_external_id ? in->external_id : row.external_id);
	}
	if (e == KEFU_E_CONFLICT)
		e = fault_set(c->fault, KEFU_E_CONFLICT, "external_id", "This external_id is taken.");
	return e;
}

static const struct org_kind dept_kind = {&org_dept_ops, org_dept_view, dept_write};

kefu_err org_dept_save(const struct crud_ctx *c, const struct org_dept_in *in, int64_t *id, json_object **view)
{
	struct save s = {.in = in, .id = *id};
	return run_save(c, &dept_kind, &s, id, view);
}

static kefu_err group_write(struct kefu_db *db, struct save *s)
{
	const struct crud_ctx *c = s->c;
	const struct org_group_in *in = s->in;
	int64_t tenant = c->who->tenant_id;
	struct group_row row = {0};
	kefu_err e = s->id ? db_group_get(db, c->a, tenant, s->id, &row) : KEFU_OK;
	if (e != KEFU_OK)
		return e;
	bool all = true;
	if (in->has_members)
		e = db_users_exist(db, c->a, tenant, in->member_user_ids, in->nmembers, &all);
	if (e == KEFU_OK && !all)
		e = fault_set(c->fault, KEFU_E_INVALID_FIELD, "member_user_ids", "No such user.");
	if (e == KEFU_OK && in->has_departments)
		e = db_depts_exist(db, c->a, tenant, in->member_department_ids, in->ndepartments, &all);
	if (e == KEFU_OK && !all)
		e = fault_set(c->fault, KEFU_E_INVALID_FIELD, "member_department_ids", "No such department.");
	if (e != KEFU_OK)
		return e;
	const char *hours = in->has_service_hours ? in->service_hours : row.service_hours;
	if (s->id == 0)
		e = db_group_create(db, tenant, in->name, hours, &s->new_id);
	else
		e = db_group_update(db, tenant, s->id, in->name ? in->name : row.name, hours);
	if (e == KEFU_OK && in->has_members)
		e = rows_link_set(db, &db_group_members, tenant, s->new_id, in->member_user_ids, in->nmembers);
	if (e == KEFU_OK && in->has_departments)
		e = rows_link_set(db, &db_group_departments, tenant, s->new_id, in->member_department_ids,
		                  in->ndepartments);
	return e;
}

static const struct org_kind group_kind = {&org_group_ops, org_group_view, group_write};

kefu_err org_group_save(const struct crud_ctx *c, const struct org_group_in *in, int64_t *id, json_object **view)
{
	struct save s = {.in = in, .id = *id};
	return run_save(c, &group_kind, &s, id, view);
}

kefu_err org_user_upsert(const struct crud_ctx *c, const char *external_id, struct org_user_in *in, bool *created,
                         json_object **view)
{
	struct user_row u;
	kefu_err e = db_user_by_external(c->db, c->a, c->who->tenant_id, external_id, &u);
	if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
		return e;
	*created = e == KEFU_E_NOT_FOUND;
	if (*created) {
		const char *missing = !in->login ? "login" : !in->name ? "name" : !in->role ? "role" : NULL;
		if (missing)
			return fault_set(c->fault, KEFU_E_INVALID_FIELD, missing, NULL);
	}
	in->external_id = external_id;
	in->has_external_id = true;
	int64_t id = *created ? 0 : u.id;
	return org_user_save(c, in, &id, view);
}

kefu_err org_dept_upsert(const struct crud_ctx *c, const char *external_id, struct org_dept_in *in, bool *created,
                         json_object **view)
{
	struct dept_row d;
	kefu_err e = db_dept_by_external(c->db, c->a, c->who->tenant_id, external_id, &d);
	if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
		return e;
	*created = e == KEFU_E_NOT_FOUND;
	if (*created && !in->name)
		return fault_set(c->fault, KEFU_E_INVALID_FIELD, "name", NULL);
	in->external_id = external_id;
	in->has_external_id = true;
	int64_t id = *created ? 0 : d.id;
	return org_dept_save(c, in, &id, view);
}

/* ---- deleting ---- */

struct del {
	const struct crud_ctx *c;
	int64_t id;
	const char *type;
	view_fn view;
	kefu_err (*del)(struct kefu_db *, kefu_arena *, int64_t, int64_t);
};

static kefu_err del_tx(struct kefu_db *db, void *ctx)
{
	struct del *d = ctx;
	const struct crud_ctx *c = d->c;
	json_object *before;
	kefu_err e = d->view(db, c->a, c->who->tenant_id, d->id, &before);
	if (e != KEFU_OK)
		return e;
	e = d->del(db, c->a, c->who->tenant_id, d->id);
	if (e != KEFU_OK) {
		json_object_put(before);
		return e;
	}
	return audit_record(db, c->who, "delete", d->type, d->id, summary(before, NULL));
}

static kefu_err del_user(struct kefu_db *db, kefu_arena *a, int64_t tenant, int64_t id)
{
	(void)a;
	return db_user_delete(db, tenant, id);
}

static kefu_err del_group(struct kefu_db *db, kefu_arena *a, int64_t tenant, int64_t id)
{
	(void)a;
	return db_group_delete(db, tenant, id);
}

kefu_err org_user_delete(const struct crud_ctx *c, int64_t id)
{
	if (c->who->user_id == id)
		return fault_set(c->fault, KEFU_E_CONFLICT, NULL, "You cannot delete yourself.");
	struct del d = {c, id, org_user_ops.audit_type, org_user_view, del_user};
	return db_tx(c->db, del_tx, &d);
}

kefu_err org_dept_delete(const struct crud_ctx *c, int64_t id)
{
	struct del d = {c, id, org_dept_ops.audit_type, org_dept_view, db_dept_delete};
	kefu_err e = db_tx(c->db, del_tx, &d);
	if (e == KEFU_E_CONFLICT)
		return fault_set(c->fault, e, NULL, "The department has sub-departments.");
	return e;
}

kefu_err org_group_delete(const struct crud_ctx *c, int64_t id)
{
	struct del d = {c, id, org_group_ops.audit_type, org_group_view, del_group};
	return db_tx(c->db, del_tx, &d);
}

/* ---- the admin resources: a POST or PATCH body through the parse and save above ---- */

static kefu_err user_save(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view)
{
	struct org_user_in in;
	struct fault f = {0};
	kefu_err e = org_user_parse_all(c->a, body, *id == 0, &in, &f);
	if (e != KEFU_OK && c->fault)
		*c->fault = f;
	return e != KEFU_OK ? e : org_user_save(c, &in, id, view);
}

static kefu_err dept_save(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view)
{
	struct org_dept_in in;
	const char *bad = NULL;
	kefu_err e = org_dept_parse(c->a, body, *id == 0, &in, &bad);
	return e != KEFU_OK ? fault_set(c->fault, e, bad, NULL) : org_dept_save(c, &in, id, view);
}

static kefu_err group_save(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view)
{
	struct org_group_in in;
	struct fault f = {0};
	kefu_err e = org_group_parse_all(c->a, body, *id == 0, &in, &f);
	if (e != KEFU_OK && c->fault)
		*c->fault = f;
	return e != KEFU_OK ? e : org_group_save(c, &in, id, view);
}

const struct crud_ops org_user_ops = {"user", NULL, org_user_list, org_user_view, user_save, org_user_delete};
const struct crud_ops org_dept_ops = {"department", NULL, org_dept_list, org_dept_view, dept_save, org_dept_delete};
const struct crud_ops org_group_ops = {"group", NULL, org_group_list, org_group_view, group_save, org_group_delete};
