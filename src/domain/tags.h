/* tags: the tenant's tag vocabulary (an admin resource) and tagging conversations from the workbench. */
#ifndef KEFU_DOMAIN_TAGS_H
#define KEFU_DOMAIN_TAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/conversations.h"
#include "domain/crud.h"
#include "store/db.h"
#include "store/store-tags.h"

/* Longest tag name, in code points. */
#define TAG_NAME_MAX 64

/* /admin/tags: {"name", "color"?}; a name taken is 409 on "name". */
extern const struct crud_ops tag_ops;

/* The API's TAG object: {"id", "name", "color"} (with "conversations" when with_count). */
json_object *tag_json(const struct tag_row *t, bool with_count);

/* The vocabulary with counts, the list of db_tags (store/store-tags.h): what the workbench offers while tagging. */
kefu_err tag_vocabulary(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct tag_row **rows, size_t *n);

/* The tags of a conversation the actor may see (conv_find: NOT_FOUND otherwise). */
kefu_err conv_tags(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                   struct tag_row **rows, size_t *n);

/*
 * Tag a conversation the actor may see (closed ones too: tagging often
 * comes after the talk). The tag is tag_id (of the tenant: else
 * KEFU_E_INVALID_FIELD on "tag_id") or, with tag_id 0, the tag named name
 * (trimmed, 1..TAG_NAME_MAX code points, else INVALID_FIELD on "name"),
 * added to the vocabulary when new. *out is the tag; *added false when the
 * conversation already had it.
 */
kefu_err conv_tag_add(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                      int64_t tag_id, const char *name, struct tag_row *out, bool *added);

/* Each conversation's tags as a new JSON array of TAG, set as "tags" on the
 * conversation objects convs[i] (whose "id" is ids[i]): the workbench's list
 * in one query. The caller has checked access (the agent's own list). */
kefu_err conv_tags_attach(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                          json_object *const *convs);

/* Untag: NOT_FOUND when the actor may not see the conversation or it does not carry the tag. */
kefu_err conv_tag_remove(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                         int64_t tag_id);

#endif
