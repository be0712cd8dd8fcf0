/* store-history: SQL for past conversations: a visitor's history, the admins' search over closed ones, and transcript
 * lines. */
#include "store/store-history.h"

#include <string.h>

#include "store/store-messages.h"

#define HISTORY_SELECT                                                                                                 \
	"SELECT c.id, c.channel_id, c.visitor_id, c.agent_user_id, ch.name, v.name, c.status, u.name, c.created_at,"   \
	" c.closed_at, (SELECT COUNT(*) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = "      \
	"c.id),"                                                                                                       \
	" rt.score, lm.text FROM conversations c"                                                                      \
	" JOIN channels ch ON ch.id = c.channel_id AND ch.tenant_id = c.tenant_id"                                     \
	" JOIN visitors v ON v.id = c.visitor_id AND v.tenant_id = c.tenant_id"                                        \
	" LEFT JOIN users u ON u.id = c.agent_user_id AND u.tenant_id = c.tenant_id"                                   \
	" LEFT JOIN ratings rt ON rt.conversation_id = c.id AND rt.tenant_id = c.tenant_id"                            \
	" LEFT JOIN messages lm ON lm.tenant_id = c.tenant_id AND lm.id = " LAST_MESSAGE_ID_OF_C

static void read_rows(kefu_arena *a, const struct db_result *r, struct history_row **rows, size_t *n)
{
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++) {
		struct history_row *h = &(*rows)[i];
		h->id = db_i64(r, i, 0);
		h->channel_id = db_i64(r, i, 1);
		h->visitor_id = db_i64(r, i, 2);
		h->agent_user_id = db_null(r, i, 3) ? 0 : db_i64(r, i, 3);
		h->channel_name = db_str(r, i, 4);
		h->visitor_name = db_str(r, i, 5);
		h->status = db_str(r, i, 6);
		h->agent_name = db_str(r, i, 7);
		h->created_at = db_str(r, i, 8);
		h->closed_at = db_str(r, i, 9);
		h->messages = db_i64(r, i, 10);
		h->rating = db_null(r, i, 11) ? 0 : db_i64(r, i, 11);
		h->last_text = db_str(r, i, 12);
	}
}

kefu_err db_history_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t before,
                            int64_t limit, struct history_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      HISTORY_SELECT
	                      " WHERE c.tenant_id = ? AND (? = 0 OR c.id < ?) AND (c.visitor_id = ?"
	                      " OR c.visitor_id IN (SELECT b.visitor_id FROM crm_visitor_records x"
	                      " JOIN crm_visitor_records b ON b.tenant_id = x.tenant_id AND b.record_id = x.record_id"
	                      " WHERE x.tenant_id = ? AND x.visitor_id = ?))"
	                      " ORDER BY c.id DESC LIMIT ?",
	                      "iiiiiii", tenant_id, before, before, visitor_id, tenant_id, visitor_id, limit);
	if (e == KEFU_OK)
		read_rows(a, r, rows, n);
	return e;
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
	    " AND (? IS NULL OR c.created_at < ?)"
	    " AND (? = '' OR v.name LIKE CONCAT('%', ?, '%') OR EXISTS (SELECT 1 FROM messages mq"
	    " WHERE mq.tenant_id = c.tenant_id AND mq.conversation_id = c.id AND mq.text LIKE CONCAT('%', ?, '%')))"
	    " AND (? = '' OR c.prechat LIKE CONCAT('%', ?, '%') OR EXISTS (SELECT 1 FROM crm_visitor_records vr"
	    " JOIN crm_field_index fx ON fx.tenant_id = vr.tenant_id AND fx.record_id = vr.record_id"
	    " AND fx.object = 'WebImVisitorObj' AND fx.field = 'phone'"
	    " WHERE vr.tenant_id = c.tenant_id AND vr.visitor_id = c.visitor_id AND fx.value LIKE CONCAT('%', ?, '%')))"
	    " ORDER BY c.id DESC LIMIT ?",
	    "iiissiissssssssssi", tenant_id, f->after, f->after, f->status, f->status, f->agent_id, f->agent_id,
	    f->from, f->from, f->to, f->to, q, q, q, phone, phone, phone, f->limit);
	if (e == KEFU_OK)
		read_rows(a, r, rows, n);
	return e;
}

kefu_err db_history_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct history_row *out)
{
	struct db_result *r;
	struct history_row *rows;
	size_t n;
	kefu_err e = db_query(db, a, &r, HISTORY_SELECT " WHERE c.tenant_id = ? AND c.id = ?", "ii", tenant_id, id);
	if (e != KEFU_OK)
		return e;
	read_rows(a, r, &rows, &n);
	if (n == 0)
		return KEFU_E_NOT_FOUND;
	*out = rows[0];
	return KEFU_OK;
}

kefu_err db_history_messages(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                             struct transcript_line **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT m.sender, u.name, m.kind, m.text, at.name, m.created_at,"
	                      " m.removed_at IS NOT NULL OR at.removed_at IS NOT NULL FROM messages m"
	                      " LEFT JOIN users u ON u.id = m.agent_user_id AND u.tenant_id = m.tenant_id"
	                      " LEFT JOIN attachments at ON at.id = m.attachment_id AND at.tenant_id = m.tenant_id"
	                      " WHERE m.tenant_id = ? AND m.conversation_id = ? ORDER BY m.seq",
	                      "ii", tenant_id, conversation_id);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++) {
		struct transcript_line *l = &(*rows)[i];
		l->sender = db_str(r, i, 0);
		l->agent_name = db_str(r, i, 1);
		l->kind = db_str(r, i, 2);
		l->text = db_str(r, i, 3);
		l->att_name = db_str(r, i, 4);
		l->created_at = db_str(r, i, 5);
		l->removed = db_i64(r, i, 6) != 0;
	}
	return KEFU_OK;
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
