/* store-attachments: SQL for uploaded files (bytes kept in MariaDB). */
#ifndef KEFU_STORE_ATTACHMENTS_H
#define KEFU_STORE_ATTACHMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

/* One attachment. data is NULL unless asked for; strings and data live in
 * the arena given to the call. */
struct attachment_row {
	int64_t id, tenant_id, conversation_id, size;
	const char *name, *mime, *sha256, *access_token, *created_at;
	const unsigned char *data;
};

/* A new attachment of conversation_id; *id set. */
kefu_err db_attachment_insert(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, const char *name,
                              const char *mime, const char *sha256, const char *access_token, const void *data,
                              size_t size, int64_t *id);
/* Attachment id of tenant_id, with its bytes when with_data. KEFU_E_NOT_FOUND, also once its bytes were
 * removed (erase, retention): only messages still show its name and size. */
kefu_err db_attachment_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool with_data,
                           struct attachment_row *out);
/* The attachment id in any tenant, without its bytes: for checking the
 * access token of a download URL, which is the credential that tells the
 * tenant (as a visitor token does for db_visitor_by_token). */
kefu_err db_attachment_by_id(struct kefu_db *db, kefu_arena *a, int64_t id, struct attachment_row *out);

#endif
