/* org: the organisation chart's rules shared by the admin API, the CRM API and the console pages. */
#ifndef KEFU_DOMAIN_ORG_H
#define KEFU_DOMAIN_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "domain/crud.h"
#include "store/db.h"

/*
 * One validation function per resource reads a JSON object: the API's body,
 * or the object a console form is turned into (src/pages), so both share
 * every rule. The save functions check references in the caller's tenant,
 * write, and record the audit entry in one transaction, as c->who in its
 * tenant; a refusal names the field at fault in c->fault (pages show it
 * beside the input). The JSON views are what the API returns and what audit
 * summaries record (never a password).
 *
 * Decisions:
 *  - Group membership by department includes sub-departments: listing
 *    "Sales" puts the members of "Sales / East" in the group too.
 *  - Deleting a user is a soft delete; its login and external_id are free
 *    for a new user at once (unique only among live users), its sessions,
 *    department and group memberships end.
 */

#define ORG_MAX_IDS 500

/* A field given as JSON null in a PATCH clears it; absent leaves it. */
struct org_user_in {
	const char *login, *name, *password, *role, *external_id;
	bool has_external_id; /* present (a string, or null to clear) */
	const char *email;    /* where kefu mails the user (left messages); view/mail.h mail_addr_ok */
	bool has_email;       /* present (a string, or null to clear) */
	bool leave_digest;    /* the daily mail of open left messages (domain/mail.h) */
	bool has_leave_digest;
	int64_t *department_ids;
	size_t ndepartments;
	bool has_departments;
	const char **department_external_ids; /* CRM upsert */
	size_t ndepartment_external_ids;
};

struct org_dept_in {
	const char *name, *external_id;
	bool has_external_id;
	int64_t parent_id; /* 0 with has_parent: top level */
	bool has_parent;
	const char *parent_external_id; /* CRM upsert; NULL with has_parent: top level */
};

struct org_group_in {
	const char *name;
	int64_t *member_user_ids;
	size_t nmembers;
	bool has_members;
	int64_t *member_department_ids;
	size_t ndepartments;
	bool has_departments;
	const char *service_hours; /* canonical JSON, or NULL */
	bool has_service_hours;    /* present (an object, or null to clear) */
};

/* Parse and check field shapes. create: the required fields must be there.
 * KEFU_E_INVALID_FIELD with *bad naming the field. */
kefu_err org_user_parse(kefu_arena *a, json_object *in, bool create, struct org_user_in *out, const char **bad);
/* The same, reporting every field at fault into fs (a form marks them all). */
kefu_err org_user_parse_all(kefu_arena *a, json_object *in, bool create, struct org_user_in *out, struct fault *fs);
kefu_err org_dept_parse(kefu_arena *a, json_object *in, bool create, struct org_dept_in *out, const char **bad);
/* The group's body, reporting every part at fault into fs. */
kefu_err org_group_parse_all(kefu_arena *a, json_object *in, bool create, struct org_group_in *out, struct fault *fs);

/* Create (*id == 0) or update (*id set) in c's tenant. NOT_FOUND for an id
 * that is not the tenant's; INVALID_FIELD for a reference that is not
 * (department_ids, parent_id, member_user_ids...) or a parent cycle;
 * CONFLICT for a taken login / external_id. On success *view (may be NULL)
 * is the object's JSON view, owned by the caller. */
kefu_err org_user_save(const struct crud_ctx *c, const struct org_user_in *in, int64_t *id, json_object **view);
kefu_err org_dept_save(const struct crud_ctx *c, const struct org_dept_in *in, int64_t *id, json_object **view);
kefu_err org_group_save(const struct crud_ctx *c, const struct org_group_in *in, int64_t *id, json_object **view);
/* CRM upserts by external_id: *created tells 201 from 200. */
kefu_err org_user_upsert(const struct crud_ctx *c, const char *external_id, struct org_user_in *in, bool *created,
                         json_object **view);
kefu_err org_dept_upsert(const struct crud_ctx *c, const char *external_id, struct org_dept_in *in, bool *created,
                         json_object **view);

/* Delete with its audit entry. Departments with sub-departments: CONFLICT. */
kefu_err org_user_delete(const struct crud_ctx *c, int64_t id);
kefu_err org_dept_delete(const struct crud_ctx *c, int64_t id);
kefu_err org_group_delete(const struct crud_ctx *c, int64_t id);

/* JSON views (caller owns *out); NOT_FOUND when not the tenant's. */
kefu_err org_user_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out);
kefu_err org_dept_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out);
kefu_err org_group_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out);
/* {"items": [...]} of every object, in list order; caller owns *out. */
kefu_err org_user_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out);
kefu_err org_dept_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out);
kefu_err org_group_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out);

/* The admin resources (domain/crud.h), audited as "user", "department", "group". */
extern const struct crud_ops org_user_ops, org_dept_ops, org_group_ops;

/* ---- API keys ---- */

/* The admin resource /admin/api-keys (domain/crud.h), audited as "api_key": a
 * list and a get read the unrevoked keys; a POST {"name", "scopes":
 * ["admin"|"crm", ...]} creates "kefu_<token>", stored as its SHA-256 with
 * the first 12 characters as prefix (the POST's answer alone carries
 * "key"); a PATCH renames (scopes cannot change); a DELETE revokes. */
extern const struct crud_ops org_key_ops;

/* ---- audit log ---- */

/* {"items": [{"id", "actor": {"type": "user"|"api_key"|null, "id", "name"},
 * "action", "object_type", "object_id", "summary": {...}, "created_at"}],
 * "next_after": id|null}, newest first; after (0: from the newest) is the
 * last id of the previous page: the next page holds older entries. */
kefu_err org_audit_page(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t after, int64_t limit,
                        json_object **out);

/* ---- service hours ---- */

struct hours_span {
	int start, end; /* minutes since midnight; end up to 1440 ("24:00") */
};

struct service_hours {
	const char *timezone;         /* IANA name; NULL: the tenant's */
	struct hours_span *weekly[7]; /* [0] = Monday ... [6] = Sunday */
	size_t nweekly[7];            /* a day with none is closed all day */
	const char **closed_dates;    /* "YYYY-MM-DD", closed all day */
	size_t nclosed;
};

extern const char *const org_weekdays[7]; /* "mon" ... "sun" */

/* Check a service_hours object (docs/openapi.json): timezone an existing IANA zone,
 * weekly keys mon..sun with [["HH:MM","HH:MM"], ...] (start < end, "24:00"
 * only as an end), closed_dates real calendar dates. *bad names the field
 * ("service_hours.weekly.mon", ...). Strings are borrowed from in. */
kefu_err org_hours_parse(kefu_arena *a, json_object *in, struct service_hours *out, const char **bad);
/* Parse the stored service-hours text (groups.service_hours): the assignment engine's entry. */
kefu_err org_hours_parse_text(kefu_arena *a, const char *text, struct service_hours *out);
/* The canonical JSON object (caller owns it). */
json_object *org_hours_json(const struct service_hours *h);
/* Whether name is a time zone in /usr/share/zoneinfo (no "..", no leading '/'). */
bool org_timezone_valid(const char *name);
/* "HH:MM" → minutes; allow_24 permits "24:00". -1 when malformed. */
int org_hhmm(const char *s, bool allow_24);

#endif
