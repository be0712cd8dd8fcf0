/* page-webhooks: webhooks in the console: subscriptions (create, enable/disable, delete; the secret shown once) and
 * recent deliveries with their attempts. */
#include <string.h>

#include "api/resource.h"
#include "domain/webhooks.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

#define RECENT 50

static kefu_err show(struct kefu_req *r, json_object *form, kefu_err err, const char *new_secret)
{
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	struct webhook_row *hooks;
	json_object *dl = NULL;
	size_t nh;
	kefu_err e = crud_list_rows(&c, &webhook_ops, &hooks, &nh);
	if (e == KEFU_OK)
		e = webhook_deliveries(&c, 0, 0, RECENT, &dl);
	if (e != KEFU_OK)
		return page_fail_form(r, e, form);
	json_object *d = page_form_frame(r, "webhooks", err), *items = json_object_new_array();
	for (size_t i = 0; i < nh; i++) {
		json_object *h = webhook_json(&hooks[i], false), *ev;
		json_object_object_get_ex(h, "events", &ev);
		json_object_object_add(h, "events_text", json_object_new_string(hooks[i].events));
		page_link(r, h, "toggle_action", "/console/webhooks", hooks[i].id, "/toggle");
		page_link(r, h, "delete_action", "/console/webhooks", hooks[i].id, "/delete");
		json_object_array_add(items, h);
	}
	for (size_t i = 0; i < json_object_array_length(dl); i++) {
		json_object *x = json_object_array_get_idx(dl, i);
		const char *status = json_object_get_string(json_object_object_get(x, "status"));
		page_flag(x, "ok", strcmp(status, "delivered") == 0);
		page_flag(x, "failed", strcmp(status, "failed") == 0);
	}
	json_object_object_add(d, "hooks", items);
	json_object_object_add(d, "deliveries", dl);
	json_object *evs = json_object_new_array();
	for (size_t i = 0; webhook_events[i]; i++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "name", json_object_new_string(webhook_events[i]));
		page_flag(x, "checked", form == NULL || page_has_value(r, "events", webhook_events[i]));
		json_object_array_add(evs, x);
	}
	json_object_object_add(d, "events", evs);
	json_object_object_add(d, "form", form ? form : json_object_new_object());
	json_object_object_add(d, "new_secret", new_secret ? json_object_new_string(new_secret) : NULL);
	return page_render(r, "webhooks", d);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, NULL, KEFU_OK, NULL);
}

static kefu_err create(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	/* The form becomes the API's JSON body, so both go through webhook_check. */
	json_object *form = json_object_new_object(), *events = json_object_new_array();
	const char *url = page_field(r, "url"), *secret = page_field(r, "secret");
	json_object_object_add(form, "url", json_object_new_string(url ? url : ""));
	if (secret)
		json_object_object_add(form, "secret", json_object_new_string(secret));
	for (size_t i = 0; webhook_events[i]; i++)
		if (page_has_value(r, "events", webhook_events[i]))
			json_object_array_add(events, json_object_new_string(webhook_events[i]));
	json_object_object_add(form, "events", events);
	page_keep(r, form);
	return page_create_once(r, &webhook_ops, form, "secret", show);
}

static kefu_err toggle(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	struct webhook_row w;
	kefu_err e = crud_row(&c, &webhook_ops, r->ids[0], &w);
	if (e == KEFU_OK) {
		w.enabled = !w.enabled;
		e = crud_write(&c, &webhook_ops, 'u', &w);
	}
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/webhooks?saved=1");
}

/* The new subscription's form is its own: its answer shows the secret once, without a redirect. */
#define ROUTES(base, list)                                                                                             \
	PAGE_POST(base, create), PAGE_DELETE(base), PAGE_LIST(base, list), PAGE_POST(base "/{id}/toggle", toggle)
PAGE_RESOURCE(page_res_webhooks, "/console/webhooks", "webhooks", res_webhooks, ROUTES);
