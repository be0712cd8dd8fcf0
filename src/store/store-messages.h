/* store-messages: SQL for the messages of a conversation. */
#ifndef KEFU_STORE_MESSAGES_H
#define KEFU_STORE_MESSAGES_H

#include <stdbool.h>

#include "store/db.h"

/* One message with what its JSON needs from the agent and the attachment
 * (never the attachment's bytes). Ids that are SQL NULL are 0; strings live
 * in the arena given to the call, NULL where the column is NULL. */
struct message_row {
	int64_t id, tenant_id, conversation_id, seq;
	const char *sender; /* visitor | agent | system */
	int64_t agent_user_id;
	const char *agent_name;
	const char *kind; /* text | image | file | card */
	const char *text;
	const char *card; /* JSON object text */
	int64_t attachment_id;
	const char *att_name, *att_mime, *att_token;
	int64_t att_size;
	const char *created_at;
	bool removed;       /* blanked by an erase or by retention (store-privacy.h, store-retention.h) */
	bool conv_answered; /* writing: its conversation has an agent's message already (no first-response update) */
	/* writing: the agent whose stream the message is in (0: none) and its place there (store-events.h) */
	int64_t stream_user_id, stream_user_seq;
};

/* SQL for the id of conversation c's latest message, NULL when it has none:
 * one dive into uq_messages_stream. Lists read it rather than keeping it on
 * the conversation row, so posting a message writes no conversation. */
#define LAST_MESSAGE_ID_OF_C                                                                                           \
	"(SELECT m.id FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id"                    \
	" ORDER BY m.seq DESC LIMIT 1)"

/* The columns db_message_read reads, from messages m with MESSAGE_JOINS. */
#define MESSAGE_COLUMNS                                                                                                \
	"m.id, m.tenant_id, m.conversation_id, m.seq, m.sender, m.agent_user_id, mu.name, m.kind, m.text, m.card,"     \
	" m.attachment_id, mt.name, mt.mime, mt.access_token, mt.size, m.created_at, m.removed_at"
/* As many NULLs, for the other side of a UNION. */
#define MESSAGE_NULLS                                                                                                  \
	"NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
#define MESSAGE_JOINS                                                                                                  \
	" LEFT JOIN users mu ON mu.tenant_id = m.tenant_id AND mu.id = m.agent_user_id"                                \
	" LEFT JOIN attachments mt ON mt.tenant_id = m.tenant_id AND mt.id = m.attachment_id"
/* Row row of r from column col on (MESSAGE_COLUMNS) into *out; strings stay in r's arena. */
void db_message_read(const struct db_result *r, size_t row, size_t col, struct message_row *out);

/* n new messages at once, each described by its row (text, card may be
 * NULL, agent_user_id, attachment_id and stream_user_id 0 for none; seq is
 * its event's, stream_user_seq its place in the agent's stream; id and
 * created_at ignored): on return m[i].id and
 * m[i].created_at are the stored ones. */
kefu_err db_messages_insert(struct kefu_db *db, kefu_arena *a, struct message_row *m, size_t n);

#endif
