/* store-history: SQL for past conversations: a visitor's history, the admins' search over closed ones, and transcript
 * lines. */
#include "store/store-history.h"

#include <string.h>

#include "store/store-messages.h"
#include "store/store-rows.h"

/* The visitor's name: verified, else what a guest typed in the pre-chat form. */
#define HISTORY_SELECT                                                                                                 \
	"SELECT c.id, c.channel_id, c.visitor_id, c.agent_user_id, ch.name,"                                           \
	" COALESCE(v.name, JSON_VALUE(c.prechat, '$.name'), JSON_VALUE(c.prechat, '$.full_name')), c.status, u.name,"  \
	" c.created_at,"                                                                                               \
	" c.closed_at, (SELECT COUNT(*) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = "      \
	"c.id),"                                                                                                       \
	" rt.score, lm.text, (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', t.id, 'name', t.name, 'color', t.color)"          \
	" ORDER BY t.name) FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id AND t.tenant_id = ct.tenant_id"   \
	" WHERE ct.tenant_id = c.tenant_id AND ct.conversation_id = c.id) FROM conversations c"                        \
	" JOIN channels ch ON ch.id = c.channel_id AND ch.tenant_id = c.tenant_id"                                     \
	" JOIN visitors v ON v.id = c.visitor_id AND v.tenant_id = c.tenant_id"                                        \
	" LEFT JOIN users u ON u.id = c.agent_user_id AND u.tenant_id = c.tenant_id"                                   \
	" LEFT JOIN ratings rt ON rt.conversation_id = c.id AND rt.tenant_id = c.tenant_id"                            \
	" LEFT JOIN messages lm ON lm.tenant_id = c.tenant_id AND lm.id = " LAST_MESSAGE_ID_OF_C

static const struct row_spec spec =
    ROWS(struct history_row, id, channel_id, visitor_id, agent_user_id, channel_name, visitor_name, status, agent_name,
         created_at, closed_at, messages, rating, last_text, tags);

static const struct row_spec line_spec =
    ROWS(struct transcript_line, sender, agent_name, kind, text, att_name, created_at, removed);

kefu_err db_history_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t before,
                            int64_t limit, struct history_row **rows, size_t *n)
{
	return rows_query(db, a, &spec, (void **)rows, n,
	                  HISTORY_SELECT
	                  " WHERE c.tenant_id = ? AND (? = 0 OR c.id < ?) AND (c.visitor_id = ?"
	                  " OR c.visitor_id IN (SELECT b.visitor_id FROM crm_visitor_records x"
	                  " JOIN crm_visitor_records b ON b.tenant_id = x.tenant_id AND b.record_id = x.record_id"
	                  " WHERE x.tenant_id = ? AND x.visitor_id = ?))"
	                  " ORDER BY c.id DESC LIMIT ?",
	                  "iiiiiii", tenant_id, before, before, visitor_id, tenant_id, visitor_id, limit);
}

/* s with LIKE's wildcards escaped, or "" for NULL. */
static const char *like(kefu_arena *a, const char *s)
{
	if (s == NULL)
		return "";
	char *out = arena_alloc(a, strlen(s) * 2 + 1), *p = out;
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

kefu_err db_history_search(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_filter *f,
                           struct history_row **rows, size_t *n)
{
	struct db_result *r;
	const char *q = like(a, f->q), *phone = like(a, f->phone);
	/* Keyset paging on the primary key: every page is one index range,
	 * however deep; filters are plain predicates on top. */
	kefu_err e = db_query(
	    db, a, &r,
	    HISTORY_SELECT
	    " WHERE c.tenant_id = ? AND (? = 0 OR c.id < ?) AND (? IS NULL OR c.status = ?)"
	    " AND (? = 0 OR c.agent_user_id = ?) AND (? IS NULL OR c.created_at >= ?)"
	    " AND (? = 0 OR EXISTS (SELECT 1 FROM conversation_tags ct WHERE ct.tenant_id = c.tenant_id"
	    " AND ct.conversation_id = c.id AND ct.tag_id = ?))"
	    " AND (? IS NULL OR c.created_at < ?)"
	    " AND (? = '' OR v.name LIKE CONCAT('%', ?, '%') OR EXISTS (SELECT 1 FROM messages mq"
	    " WHERE mq.tenant_id = c.tenant_id AND mq.conversation_id = c.id AND mq.text LIKE CONCAT('%', ?, '%')))"
	    " AND (? = '' OR c.prechat LIKE CONCAT('%', ?, '%') OR EXISTS (SELECT 1 FROM crm_visitor_records vr"
	    " JOIN crm_field_index fx ON fx.tenant_id = vr.tenant_id AND fx.record_id = vr.record_id"
	    " AND fx.object = 'WebImVisitorObj' AND fx.field = 'phone'"
	    " WHERE vr.tenant_id = c.tenant_id AND vr.visitor_id = c.visitor_id AND fx.value LIKE CONCAT('%', ?, '%')))"
	    " ORDER BY c.id DESC LIMIT ?",
	    "iiissiissiissssssssi", tenant_id, f->after, f->after, f->status, f->status, f->agent_id, f->agent_id,
	    f->from, f->from, f->tag_id, f->tag_id, f->to, f->to, q, q, q, phone, phone, phone, f->limit);
	return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
}

kefu_err db_history_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct history_row *out)
{
	return rows_query_one(db, a, &spec, out, HISTORY_SELECT " WHERE c.tenant_id = ? AND c.id = ?", "ii", tenant_id,
	                      id);
}

kefu_err db_history_messages(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                             struct transcript_line **rows, size_t *n)
{
	return rows_query(db, a, &line_spec, (void **)rows, n,
	                  "SELECT m.sender, u.name, m.kind, m.text, at.name, m.created_at,"
	                  " m.removed_at IS NOT NULL OR at.removed_at IS NOT NULL FROM messages m"
	                  " LEFT JOIN users u ON u.id = m.agent_user_id AND u.tenant_id = m.tenant_id"
	                  " LEFT JOIN attachments at ON at.id = m.attachment_id AND at.tenant_id = m.tenant_id"
	                  " WHERE m.tenant_id = ? AND m.conversation_id = ? ORDER BY m.seq",
	                  "ii", tenant_id, conversation_id);
}

kefu_err db_history_agent_serves(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id,
                                 int64_t visitor_id, bool *yes)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT (SELECT COUNT(*) FROM conversations WHERE tenant_id = ? AND agent_user_id = ?"
	                      " AND status = 'assigned' AND visitor_id = ?)"
	                      " + (SELECT COUNT(*) FROM leave_messages WHERE tenant_id = ? AND visitor_id = ?)",
	                      "iiiii", tenant_id, user_id, visitor_id, tenant_id, visitor_id);
	if (e == KEFU_OK)
		*yes = db_i64(r, 0, 0) > 0;
	return e;
}

kefu_err db_history_visitor_past(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                                 int64_t *before, int64_t *known_s)
{
	struct db_result *r;
	kefu_err e = db_query_one(db, a, &r,
	                          "SELECT (SELECT COUNT(*) FROM conversations p WHERE p.tenant_id = c.tenant_id"
	                          " AND p.visitor_id = c.visitor_id AND p.id < c.id),"
	                          " TIMESTAMPDIFF(SECOND, v.created_at, c.created_at) FROM conversations c"
	                          " JOIN visitors v ON v.id = c.visitor_id AND v.tenant_id = c.tenant_id"
	                          " WHERE c.tenant_id = ? AND c.id = ?",
	                          "ii", tenant_id, conversation_id);
	if (e != KEFU_OK)
		return e;
	*before = db_i64(r, 0, 0);
	*known_s = db_i64(r, 0, 1);
	return KEFU_OK;
}
