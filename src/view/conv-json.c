/* conv-json: the JSON views of conversations, messages and their events (CONVERSATION, MESSAGE, EVENT in
 * docs/openapi.json). */
#include "view/conv-json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/printbuf.h>

#include "view/json.h"

json_object *conv_agent_json(int64_t id, const char *name)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name ? name : ""));
	return o;
}

json_object *conv_message_json(const struct message_row *m)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(m->id));
	json_object_object_add(o, "conversation_id", json_object_new_int64(m->conversation_id));
	json_object_object_add(o, "sender", json_object_new_string(m->sender));
	if (m->agent_user_id)
		json_object_object_add(o, "agent", conv_agent_json(m->agent_user_id, m->agent_name));
	json_object_object_add(o, "kind", json_object_new_string(m->kind));
	if (m->text != NULL)
		json_object_object_add(o, "text", json_object_new_string(m->text));
	if (m->removed) /* its text, card or file was erased or outlived the retention period */
		json_object_object_add(o, "removed", json_object_new_boolean(true));
	if (m->attachment_id) {
		json_object *t = json_object_new_object();
		json_object_object_add(t, "id", json_object_new_int64(m->attachment_id));
		json_object_object_add(t, "name", json_object_new_string(m->att_name ? m->att_name : "file"));
		json_object_object_add(t, "size", json_object_new_int64(m->att_size));
		json_object_object_add(t, "mime", json_object_new_string(m->att_mime ? m->att_mime : ""));
		/* The token in the URL is the read capability an <img> can carry
		 * (it cannot send X-Visitor-Token): see api-attachments.c. */
		char url[160];
		snprintf(url, sizeof url, "/api/v1/attachments/%lld?t=%s", (long long)m->attachment_id,
		         m->att_token ? m->att_token : "");
		json_object_object_add(t, "url", json_object_new_string(url));
		json_object_object_add(o, "attachment", t);
	}
	if (m->card != NULL) {
		json_object *card = json_tokener_parse(m->card);
		if (card != NULL)
			json_object_object_add(o, "card", card);
	}
	json_object_object_add(o, "created_at", json_time(m->created_at));
	return o;
}

static json_object *conv_agent(const void *row)
{
	const struct conversation_row *c = row;
	return c->agent_user_id ? conv_agent_json(c->agent_user_id, c->agent_name) : NULL;
}

static json_object *none(const void *row)
{
	(void)row;
	return NULL;
}

static const struct json_field conv_fields[] = {
    JSON_FIELD(struct conversation_row, id, I64),
    JSON_FIELD(struct conversation_row, status, STR),
    JSON_FIELD_FN("agent", conv_agent),
    JSON_FIELD_FN("queue_position", none), /* queues come with the assignment issue */
    JSON_FIELD(struct conversation_row, channel_id, I64),
    JSON_FIELD(struct conversation_row, created_at, TIME),
    JSON_FIELD(struct conversation_row, closed_at, TIME),
};

json_object *conv_json(const struct conversation_row *c)
{
	return JSON_VIEW(c, conv_fields);
}

json_object *conv_rows_json(const struct conversation_row *c, size_t n)
{
	return JSON_ROWS(c, n, conv_fields);
}

static int print_text(json_object *o, struct printbuf *pb, int level, int flags)
{
	(void)level;
	(void)flags;
	const char *text = json_object_get_userdata(o);
	return printbuf_memappend(pb, text, (int)strlen(text));
}

static void free_text(json_object *o, void *text)
{
	(void)o;
	free(text);
}

/* A stored event body (an object kefu wrote) printed as it is, seq and the
 * conversation added before its closing brace: parsing each into objects
 * only to print them again was a twentieth of a worker's time while an
 * agent's stream told of hundreds of page views a second. NULL when the body
 * does not look like an object: conv_event_json parses it then. */
static json_object *event_as_stored(const char *body, int64_t seq, int64_t conversation_id)
{
	size_t n = strlen(body);
	while (n > 0 && (body[n - 1] == ' ' || body[n - 1] == '\n'))
		n--;
	const char *first = body + strspn(body, " \n");
	if (*first != '{' || n < 2 || body[n - 1] != '}')
		return NULL;
	/* A staff notice carries its conversation already (conv_tell_staff): parsed, so it is not said twice. */
	if (conversation_id != 0 && strstr(body, "\"conversation_id\"") != NULL)
		return NULL;
	bool empty = first + 1 + strspn(first + 1, " \n") == body + n - 1;
	char *text = malloc(n + 64);
	if (text == NULL)
		abort();
	memcpy(text, body, n - 1);
	int k = sprintf(text + n - 1, "%s\"seq\":%lld", empty ? "" : ",", (long long)seq);
	if (conversation_id != 0)
		k += sprintf(text + n - 1 + k, ",\"conversation_id\":%lld", (long long)conversation_id);
	strcpy(text + n - 1 + k, "}");
	json_object *o = json_object_new_object();
	json_object_set_serializer(o, print_text, text, free_text);
	return o;
}

/* One EVENT object of a stream entry, with its seq (and conversation, for an
 * agent's stream, whose entries come from many conversations). */
json_object *conv_event_json(const struct stream_entry *x, bool with_conversation)
{
	json_object *o = NULL;
	if (!x->is_message && x->body != NULL &&
	    (o = event_as_stored(x->body, x->seq, with_conversation ? x->conversation_id : 0)) != NULL)
		return o;
	if (x->is_message) {
		o = json_object_new_object();
		json_object_object_add(o, "type", json_object_new_string("message"));
		json_object_object_add(o, "message", conv_message_json(&x->message));
	} else if (x->body != NULL)
		o = json_tokener_parse(x->body);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = json_object_new_object();
	}
	json_object_object_add(o, "seq", json_object_new_int64(x->seq));
	/* an agent's notice that is no conversation's event (a visitor appearing) has none */
	if (with_conversation && x->conversation_id != 0)
		json_object_object_add(o, "conversation_id", json_object_new_int64(x->conversation_id));
	return o;
}

json_object *conv_events_json(const struct stream_entry *x, size_t n, bool with_conversation, int64_t after,
                              int64_t *next)
{
	json_object *events = json_object_new_array_ext((int)n);
	*next = after;
	for (size_t i = 0; i < n; i++) {
		json_object_array_add(events, conv_event_json(&x[i], with_conversation));
		*next = x[i].cursor;
	}
	return events;
}

static json_object *history_channel(const void *row)
{
	const struct history_row *h = row;
	return json_named(h->channel_id, h->channel_name);
}

static json_object *history_visitor(const void *row)
{
	const struct history_row *h = row;
	return json_named(h->visitor_id, h->visitor_name);
}

static json_object *history_agent(const void *row)
{
	const struct history_row *h = row;
	return json_named(h->agent_user_id, h->agent_name);
}

static const struct json_field history_fields[] = {
    JSON_FIELD(struct history_row, id, I64),         JSON_FIELD(struct history_row, status, STR),
    JSON_FIELD_FN("channel", history_channel),       JSON_FIELD_FN("visitor", history_visitor),
    JSON_FIELD_FN("agent", history_agent),           JSON_FIELD(struct history_row, created_at, TIME),
    JSON_FIELD(struct history_row, closed_at, TIME), JSON_FIELD(struct history_row, messages, I64),
    JSON_FIELD(struct history_row, rating, ID), /* null: not rated */
    JSON_FIELD(struct history_row, last_text, STR),  JSON_FIELD(struct history_row, tags, ARRAY),
};

json_object *history_json(const struct history_row *h)
{
	return JSON_VIEW(h, history_fields);
}

json_object *history_rows_json(const struct history_row *h, size_t n)
{
	return JSON_ROWS(h, n, history_fields);
}

static json_object *note_author(const void *row)
{
	const struct note_row *x = row;
	return json_named(x->author_user_id, x->author_name);
}

static const struct json_field note_fields[] = {
    JSON_FIELD(struct note_row, id, I64),          JSON_FIELD(struct note_row, kind, STR),
    JSON_FIELD(struct note_row, text, STR),        JSON_FIELD_FN("author", note_author),
    JSON_FIELD(struct note_row, created_at, TIME), JSON_FIELD(struct note_row, after_message_id, ID),
};

json_object *conv_note_json(const struct note_row *x)
{
	return JSON_VIEW(x, note_fields);
}

json_object *conv_notes_json(const struct note_row *x, size_t n)
{
	return JSON_ROWS(x, n, note_fields);
}
