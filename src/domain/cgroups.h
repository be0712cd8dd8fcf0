/* cgroups: conversation groups (会话分组): validation of their conditions and arranging an agent's conversations under
 * them. */
#ifndef KEFU_DOMAIN_CGROUPS_H
#define KEFU_DOMAIN_CGROUPS_H

#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/crud.h"
#include "store/db.h"
#include "store/store-cgroups.h"
#include "store/store-conversations.h"

/*
 * A group's match is the rules' COND language (domain/conditions.h:
 * visitor.*, prechat.*, account.*) plus facts of the conversation itself:
 * "conversation.channel_id", "conversation.group_id" (the agent group it
 * was routed to) and "conversation.rule_id", with eq, ne, in and exists
 * (values are ids). Identified or not is visitor.identified.
 */

/* Check a POST (base NULL) or PATCH body: name 1..200 code points,
 * priority (-1000000..1000000, default 100), match ("all" or {"all":
 * [COND...]}, default "all"). KEFU_E_INVALID_FIELD with *bad (in a). */
kefu_err cgroup_check(kefu_arena *a, json_object *in, const struct cgroup_row *base, struct cgroup_row *out,
                      const char **bad);

/* The admin resource (domain/crud.h): rows of conversation_groups, audited
 * as "conversation_group" with the whole object. */
extern const struct crud_ops cgroup_ops;

/* The API object {"id","name","priority","match","created_at"}. */
json_object *cgroup_json(const struct cgroup_row *g);

/*
 * GET /agent/conversations: put each conversation (rows[i] with its view
 * convs[i], a JSON array of the same length, consumed) in the first group
 * by priority whose match holds; the rest in the default group (id null,
 * default_name), which comes last. *groups: a new array of {"id","name",
 * "priority","count","conversations"}, every configured group listed
 * (empty ones too, so the workbench shows a stable frame). Conditions
 * that need the visitor's facts look them up once per conversation.
 */
kefu_err conv_groups_arrange(struct kefu_db *db, kefu_arena *a, int64_t tenant_id,
                             const struct agent_conversation *rows, size_t n, json_object *convs,
                             const char *default_name, json_object **groups);

#endif
