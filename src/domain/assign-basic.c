/* assign-basic: the stand-in assignment. The assignment issue replaces this
 * one function with the rule engine (groups, strategies, capacity, queues,
 * service hours); callers only rely on the contract in assign-basic.h. */
#include "domain/assign-basic.h"

#include <json-c/json.h>

#include "domain/conversations.h"
#include "store/store-conversations.h"
#include "store/store-events.h"
#include "view/i18n.h"

kefu_err assign_basic(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                      int64_t tenant_id, int64_t conversation_id, int64_t *agent_id)
{
	*agent_id = 0;
	struct agent_load *agents;
	size_t n;
	kefu_err e = db_agents_lock_online(db, a, tenant_id, &agents, &n);
	if (e != KEFU_OK)
		return e;
	const struct agent_load *best = NULL;
	for (size_t i = 0; i < n; i++) /* rows come by ascending id: strict < keeps the lowest id on ties */
		if (best == NULL || agents[i].live < best->live)
			best = &agents[i];

	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("status"));
	if (best != NULL) {
		e = db_conversation_set_assigned(db, tenant_id, conversation_id, best->user_id);
		json_object_object_add(ev, "status", json_object_new_string("assigned"));
		json_object_object_add(ev, "agent", conv_agent_json(best->user_id, best->name));
		if (e == KEFU_OK)
			e = db_event_append(db, tenant_id, conversation_id, ev, &best->user_id, 1, NULL);
		json_object_put(ev);
		if (e == KEFU_OK)
			*agent_id = best->user_id;
		return e;
	}
	e = db_conversation_set_unassigned(db, tenant_id, conversation_id, "offline");
	json_object_object_add(ev, "status", json_object_new_string("offline"));
	if (e == KEFU_OK)
		e = db_event_append(db, tenant_id, conversation_id, ev, NULL, 0, NULL);
	json_object_put(ev);
	if (e == KEFU_OK)
		e = conv_tx_message(db, a, tenant_id, conversation_id, 0, "system", 0, "text",
		                    i18n_get(i18n, lang, "conv.all_offline"), 0, NULL);
	return e;
}
