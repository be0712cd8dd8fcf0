/* crm: built-in CRM objects, tenants' custom fields, validation of field values and the record upsert. */
#include "domain/crm.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

#define T(n, zh, en)                                                                                                   \
	{                                                                                                              \
		n, zh, en, CRM_TEXT, NULL, false                                                                       \
	}
#define N(n, zh, en)                                                                                                   \
	{                                                                                                              \
		n, zh, en, CRM_NUMBER, NULL, false                                                                     \
	}
#define D(n, zh, en)                                                                                                   \
	{                                                                                                              \
		n, zh, en, CRM_DATE, NULL, false                                                                       \
	}
#define R(n, zh, en, o)                                                                                                \
	{                                                                                                              \
		n, zh, en, CRM_REF, o, false                                                                           \
	}
#define ACCOUNT_REF R("account_id", "客户", "Account", "AccountObj")
#define CONTACT_REF R("contact_id", "联系人", "Contact", "ContactObj")

static const struct crm_field_def account_fields[] = {
    T("name", "客户名称", "Name"),     T("phone", "电话", "Phone"), T("level", "客户级别", "Level"),
    T("industry", "行业", "Industry"), T("email", "邮箱", "Email"), T("address", "地址", "Address"),
};
/* roles: the contact's interconnect roles, comma-separated ("partner,vip"):
 * an identified visitor linked to the contact gets them when the identity
 * itself carries none. */
static const struct crm_field_def contact_fields[] = {
    T("full_name", "姓名", "Full name"),
    T("phone", "手机", "Phone"),
    T("email", "邮箱", "Email"),
    T("title", "职务", "Title"),
    ACCOUNT_REF,
    T("roles", "角色", "Roles"),
};
static const struct crm_field_def lead_fields[] = {
    T("name", "线索名称", "Name"),
    T("full_name", "姓名", "Full name"),
    T("phone", "电话", "Phone"),
    T("company", "公司", "Company"),
    T("source", "来源", "Source"),
    T("status", "状态", "Status"),
    ACCOUNT_REF,
    CONTACT_REF,
};
static const struct crm_field_def case_fields[] = {
    T("title", "标题", "Title"),
    T("status", "状态", "Status"),
    T("priority", "优先级", "Priority"),
    T("description", "描述", "Description"),
    D("due_date", "截止日期", "Due date"),
    ACCOUNT_REF,
    CONTACT_REF,
};
static const struct crm_field_def product_fields[] = {
    T("name", "产品名称", "Name"),
    T("sku", "编码", "SKU"),
    N("price", "价格", "Price"),
    T("description", "描述", "Description"),
};
static const struct crm_field_def order_fields[] = {
    T("name", "订单号", "Order"),
    N("amount", "金额", "Amount"),
    T("status", "状态", "Status"),
    D("order_date", "下单日期", "Order date"),
    ACCOUNT_REF,
    CONTACT_REF,
    R("product_id", "产品", "Product", "ProductObj"),
};
static const struct crm_field_def visitor_fields[] = {
    T("full_name", "姓名", "Full name"),
    T("phone", "手机", "Phone"),
    T("email", "邮箱", "Email"),
    N("visitor_id", "访客编号", "Visitor id"),
    N("channel_id", "渠道", "Channel"),
    ACCOUNT_REF,
    CONTACT_REF,
};

#define OBJ(n, zh, en, f)                                                                                              \
	{                                                                                                              \
		n, zh, en, f, sizeof f / sizeof f[0]                                                                   \
	}
static const struct crm_object_def builtins[] = {
    OBJ("AccountObj", "客户", "Accounts", account_fields),
    OBJ("ContactObj", "联系人", "Contacts", contact_fields),
    OBJ("LeadObj", "线索", "Leads", lead_fields),
    OBJ("CaseObj", "工单", "Tickets", case_fields),
    OBJ("ProductObj", "产品", "Products", product_fields),
    OBJ("SalesOrderObj", "订单", "Sales orders", order_fields),
    OBJ("WebImVisitorObj", "访客", "Visitors", visitor_fields),
};

const struct crm_object_def *crm_builtins(size_t *n)
{
	*n = sizeof builtins / sizeof builtins[0];
	return builtins;
}

const struct crm_object_def *crm_builtin(const char *name)
{
	for (size_t i = 0; name != NULL && i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

const char *crm_label(const char *zh, const char *en, const char *lang)
{
	return lang != NULL && strncmp(lang, "en", 2) == 0 && en != NULL ? en : zh;
}

static const char *const type_names[] = {"text", "number", "date", "ref"};

const char *crm_type_name(enum crm_type t)
{
	return type_names[t];
}

int crm_type_parse(const char *s)
{
	for (int i = 0; s != NULL && i < 4; i++)
		if (strcmp(type_names[i], s) == 0)
			return i;
	return -1;
}

bool crm_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

kefu_err crm_object_load(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                         struct crm_object_def *out)
{
	const struct crm_object_def *b = crm_builtin(object);
	if (b == NULL)
		return KEFU_E_NOT_FOUND;
	struct crm_field_row *rows;
	size_t n;
	kefu_err e = db_crm_fields_list(db, a, tenant_id, object, &rows, &n);
	if (e != KEFU_OK)
		return e;
	struct crm_field_def *f = arena_calloc(a, b->nfields + n, sizeof *f);
	memcpy(f, b->fields, b->nfields * sizeof *f);
	for (size_t i = 0; i < n; i++) {
		int t = crm_type_parse(rows[i].type);
		f[b->nfields + i] = (struct crm_field_def){rows[i].name,       rows[i].label,
		                                           rows[i].label,      t < 0 ? CRM_TEXT : (enum crm_type)t,
		                                           rows[i].ref_object, true};
	}
	*out = *b;
	out->fields = f;
	out->nfields = b->nfields + n;
	return KEFU_OK;
}

const struct crm_field_def *crm_field_find(const struct crm_object_def *def, const char *name)
{
	for (size_t i = 0; i < def->nfields; i++)
		if (strcmp(def->fields[i].name, name) == 0)
			return &def->fields[i];
	return NULL;
}

const char *crm_value_text(kefu_arena *a, json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string: return arena_strdup(a, json_object_get_string(v));
	case json_type_int: return arena_printf(a, "%lld", (long long)json_object_get_int64(v));
	case json_type_double: return arena_strdup(a, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	case json_type_boolean: return json_object_get_boolean(v) ? "true" : "false";
	default: return NULL;
	}
}

static void put_json(void *p)
{
	json_object_put(p);
}

json_object *crm_record_fields(kefu_arena *a, const struct crm_record *rec)
{
	json_object *o = rec->fields ? json_tokener_parse(rec->fields) : NULL;
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = json_object_new_object();
	}
	arena_defer(a, put_json, o);
	return o;
}

const char *crm_record_text(kefu_arena *a, const struct crm_record *rec, const char *name)
{
	json_object *v;
	if (!json_object_object_get_ex(crm_record_fields(a, rec), name, &v))
		return NULL;
	return crm_value_text(a, v);
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* "YYYY-MM-DD", optionally "THH:MM:SSZ": what the CRM sends for dates. */
static bool date_valid(const char *s)
{
	size_t n = strlen(s);
	if ((n != 10 && n != 20) || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	if (n == 10)
		return true;
	return s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2) && s[16] == ':' &&
	       digits(s + 17, 2) && s[19] == 'Z' && (s[11] - '0') * 10 + (s[12] - '0') < 24 &&
	       (s[14] - '0') * 10 + (s[15] - '0') < 60 && (s[17] - '0') * 10 + (s[18] - '0') < 60;
}

static bool text_valid(json_object *v)
{
	if (!json_object_is_type(v, json_type_string))
		return false;
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	return strlen(s) == n && utf8_valid(s, n) && utf8_length(s, n) <= CRM_TEXT_MAX;
}

/* A reference value: our id (a record of the tenant, of ref_object when set)
 * or {"external_id": "..."} looked up in ref_object. 0 when it refers to nothing. */
static kefu_err ref_value(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct crm_field_def *f,
                          json_object *v, int64_t *id)
{
	struct crm_record rec;
	kefu_err e;
	*id = 0;
	if (json_object_is_type(v, json_type_int)) {
		int64_t want = json_object_get_int64(v);
		if (want <= 0 || want == INT64_MAX)
			return KEFU_OK;
		e = db_crm_record_get(db, a, tenant_id, want, &rec);
		if (e == KEFU_E_NOT_FOUND)
			return KEFU_OK;
		if (e == KEFU_OK && (f->ref_object == NULL || strcmp(rec.object, f->ref_object) == 0))
			*id = rec.id;
		return e;
	}
	json_object *ext;
	if (!json_object_is_type(v, json_type_object) || json_object_object_length(v) != 1 ||
	    !json_object_object_get_ex(v, "external_id", &ext) || !text_valid(ext) || f->ref_object == NULL)
		return KEFU_OK;
	e = db_crm_record_by_external(db, a, tenant_id, f->ref_object, json_object_get_string(ext), false, &rec);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_OK;
	if (e == KEFU_OK)
		*id = rec.id;
	return e;
}

kefu_err crm_fields_check(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct crm_object_def *def,
                          json_object *fields, bool lenient, json_object **out, const char **bad)
{
	*out = NULL;
	if (fields != NULL && !json_object_is_type(fields, json_type_object)) {
		*bad = "fields";
		return KEFU_E_INVALID_FIELD;
	}
	json_object *o = json_object_new_object();
	arena_defer(a, put_json, o);
	if (fields != NULL && json_object_object_length(fields) > CRM_MAX_FIELDS) {
		*bad = "fields";
		return KEFU_E_INVALID_FIELD;
	}
	if (fields != NULL) {
		json_object_object_foreach(fields, k, v)
		{
			const struct crm_field_def *f = crm_field_find(def, k);
			bool ok = true;
			if (v == NULL)
				continue; /* null: the field is unset */
			if (f == NULL) {
				ok = lenient && crm_name_valid(k) &&
				     (text_valid(v) || json_object_is_type(v, json_type_int) ||
				      json_object_is_type(v, json_type_double));
				if (ok)
					json_object_object_add(o, k, json_object_get(v));
			} else {
				switch (f->type) {
				case CRM_TEXT:
					ok = text_valid(v);
					if (ok)
						json_object_object_add(o, k, json_object_get(v));
					break;
				case CRM_NUMBER:
					ok = json_object_is_type(v, json_type_int) ||
					     json_object_is_type(v, json_type_double);
					if (ok)
						json_object_object_add(o, k, json_object_get(v));
					break;
				case CRM_DATE:
					ok = text_valid(v) && date_valid(json_object_get_string(v));
					if (ok)
						json_object_object_add(o, k, json_object_get(v));
					break;
				case CRM_REF: {
					int64_t id = 0;
					kefu_err e = ref_value(db, a, tenant_id, f, v, &id);
					if (e != KEFU_OK)
						return e;
					ok = id > 0;
					if (ok)
						json_object_object_add(o, k, json_object_new_int64(id));
					break;
				}
				}
			}
			if (!ok) {
				*bad = arena_printf(a, "fields.%s", strlen(k) <= 64 ? k : "?");
				return KEFU_E_INVALID_FIELD;
			}
		}
	}
	*out = o;
	return KEFU_OK;
}

kefu_err crm_record_write(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                          const char *external_id, json_object *fields, bool set_owner, int64_t owner_user_id,
                          bool *created, int64_t *id)
{
	const char *text =
	    json_object_to_json_string_ext(fields, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	text = arena_strdup(a, text);
	struct crm_record rec;
	kefu_err e = db_crm_record_by_external(db, a, tenant_id, object, external_id, true, &rec);
	if (e == KEFU_E_NOT_FOUND) {
		*created = true;
		e = db_crm_record_insert(db, tenant_id, object, external_id, set_owner ? owner_user_id : 0, text, id);
		/* A concurrent insert of the same external id: the caller's retry
		 * finds it and updates (KEFU_E_RETRY reruns the transaction). */
		if (e == KEFU_E_CONFLICT)
			e = KEFU_E_RETRY;
	} else if (e == KEFU_OK) {
		*created = false;
		*id = rec.id;
		e = db_crm_record_update(db, tenant_id, rec.id, set_owner, owner_user_id, text);
	}
	if (e != KEFU_OK)
		return e;
	size_t n = 0, cap = (size_t)json_object_object_length(fields);
	struct crm_kv *kv = arena_calloc(a, cap ? cap : 1, sizeof *kv);
	json_object_object_foreach(fields, k, v)
	{
		const char *t = crm_value_text(a, v);
		if (t != NULL && *t != '\0')
			kv[n++] = (struct crm_kv){k, t};
	}
	return db_crm_index_replace(db, tenant_id, object, *id, kv, n);
}

struct put_ctx {
	kefu_arena *a;
	int64_t tenant_id;
	const char *object, *external_id;
	json_object *fields;
	bool set_owner;
	int64_t owner;
	bool created;
	int64_t id;
};

static kefu_err put_tx(struct kefu_db *db, void *p)
{
	struct put_ctx *c = p;
	return crm_record_write(db, c->a, c->tenant_id, c->object, c->external_id, c->fields, c->set_owner, c->owner,
	                        &c->created, &c->id);
}

kefu_err crm_record_put(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                        const char *external_id, json_object *body, bool *created, struct crm_record *out,
                        const char **bad)
{
	struct crm_object_def def;
	kefu_err e = crm_object_load(db, a, tenant_id, object, &def);
	if (e != KEFU_OK)
		return e;
	size_t xn = strlen(external_id);
	if (xn == 0 || xn > CRM_EXTERNAL_ID_MAX || !utf8_valid(external_id, xn)) {
		*bad = "external_id";
		return KEFU_E_INVALID_FIELD;
	}
	if (body != NULL && !json_object_is_type(body, json_type_object))
		return KEFU_E_INVALID_JSON;
	json_object *fields = NULL, *v;
	if (body == NULL || !json_object_object_get_ex(body, "fields", &fields) || fields == NULL) {
		*bad = "fields";
		return KEFU_E_INVALID_FIELD;
	}
	struct put_ctx c = {.a = a, .tenant_id = tenant_id, .object = object, .external_id = external_id};
	if ((e = crm_fields_check(db, a, tenant_id, &def, fields, false, &c.fields, bad)) != KEFU_OK)
		return e;
	if (json_object_object_get_ex(body, "owner_external_id", &v) && v != NULL) {
		if (!text_valid(v) ||
		    db_crm_user_by_external(db, a, tenant_id, json_object_get_string(v), &c.owner) != KEFU_OK) {
			*bad = "owner_external_id";
			return KEFU_E_INVALID_FIELD;
		}
		c.set_owner = true;
	} else if (json_object_object_get_ex(body, "owner_user_id", &v)) {
		c.set_owner = true; /* null clears the owner */
		if (v != NULL) {
			c.owner = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : 0;
			if (c.owner <= 0 || db_crm_user_exists(db, a, tenant_id, c.owner) != KEFU_OK) {
				*bad = "owner_user_id";
				return KEFU_E_INVALID_FIELD;
			}
		}
	}
	if ((e = db_tx(db, put_tx, &c)) != KEFU_OK)
		return e;
	*created = c.created;
	return db_crm_record_get(db, a, tenant_id, c.id, out);
}

kefu_err crm_record_find(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                         const struct crm_kv *filters, size_t nfilters, int64_t after, int64_t limit,
                         struct crm_record **rows, size_t *n, int64_t *next_after)
{
	struct crm_record *raw;
	size_t rn;
	kefu_err e = db_crm_record_list(db, a, tenant_id, object, filters, nfilters, after, limit, &raw, &rn);
	if (e != KEFU_OK)
		return e;
	*next_after = (int64_t)rn == limit && rn > 0 ? raw[rn - 1].id : 0;
	size_t k = 0;
	for (size_t i = 0; i < rn; i++) {
		bool ok = true;
		for (size_t f = 0; ok && f < nfilters; f++) {
			const char *t = crm_record_text(a, &raw[i], filters[f].field);
			ok = t != NULL && strcmp(t, filters[f].value) == 0;
		}
		if (ok)
			raw[k++] = raw[i];
	}
	*rows = raw;
	*n = k;
	return KEFU_OK;
}

json_object *crm_record_json(kefu_arena *a, const struct crm_record *rec)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(rec->id));
	json_object_object_add(o, "object", json_object_new_string(rec->object));
	json_object_object_add(o, "external_id", json_object_new_string(rec->external_id));
	json_object_object_add(o, "owner_user_id",
	                       rec->owner_user_id ? json_object_new_int64(rec->owner_user_id) : NULL);
	json_object_object_add(o, "fields", json_object_get(crm_record_fields(a, rec)));
	return o;
}

kefu_err crm_record_prefix(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object, const char *field,
                           const char *prefix, int64_t limit, struct crm_record **rows, size_t *n)
{
	return db_crm_record_prefix(db, a, tenant_id, object, field, prefix, limit, rows, n);
}

kefu_err crm_record_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                                const char *external_id, bool for_update, struct crm_record *out)
{
	return db_crm_record_by_external(db, a, tenant_id, object, external_id, for_update, out);
}

kefu_err crm_field_put(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object, const char *name,
                       const char *label, const char *type, const char *ref_object, bool *created)
{
	return db_crm_field_put(db, a, tenant_id, object, name, label, type, ref_object, created);
}

kefu_err crm_record_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_crm_record_delete(db, tenant_id, id);
}
