/* store-tags: SQL for the tenant's tag vocabulary and the tags on conversations. */
#ifndef KEFU_STORE_TAGS_H
#define KEFU_STORE_TAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* One tag of the vocabulary; strings in the call's arena. */
struct tag_row {
	int64_t id;
	const char *name;
	const char *color; /* "#rrggbb" or NULL */
	const char *created_at;
	int64_t conversations; /* how many conversations carry it (lists only) */
};

/* The admin resource's table (store-rows.h). A name taken
 * (case-insensitively, the table's collation) is KEFU_E_CONFLICT; deleting
 * removes the tag from every conversation too (ON DELETE CASCADE); the
 * list is the vocabulary by name, each with its conversation count. */
extern const struct row_table db_tags;

/* The tag named name (collation-equal: "vip" finds "VIP"); KEFU_E_NOT_FOUND. */
kefu_err db_tag_by_name(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *name, struct tag_row *out);

/* The tag named name (collation-equal), created when the tenant has none:
 * *out is the tag either way, *created says which. */
kefu_err db_tag_ensure(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *name, struct tag_row *out,
                       bool *created);

/* Tag a conversation (already tagged: no change, *added false). The caller
 * has checked that both are the tenant's. */
kefu_err db_conversation_tag_add(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t tag_id,
                                 int64_t user_id, bool *added);
/* Untag; *removed false when it was not tagged. */
kefu_err db_conversation_tag_remove(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t tag_id,
                                    bool *removed);
/* The conversation's tags by name (conversations: 0). */
kefu_err db_conversation_tags(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                              struct tag_row **rows, size_t *n);

/* The tags of conversations ids[0..n) at once (the workbench's list), by
 * conversation then name: each row's conversation in *conv_ids[i]. */
kefu_err db_conversations_tags(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                               struct tag_row **rows, int64_t **conv_ids, size_t *nrows);

#endif
