/* store-quick-buttons: SQL for quick_buttons, the widget's quick-send record buttons. */
#ifndef KEFU_STORE_QUICK_BUTTONS_H
#define KEFU_STORE_QUICK_BUTTONS_H

#include "store/db.h"

/* One button; JSON texts were validated by domain/quick-buttons.c. Strings in the caller's arena. */
struct quick_button {
	int64_t id;
	const char *name, *icon;
	const char *channel_ids;   /* JSON array of ids; [] = every channel */
	const char *visible_roles; /* JSON array of role names */
	const char *object;
	const char *filter; /* JSON object {"all": [COND...]} */
	const char *template;
	const char *created_at, *updated_at;
};

kefu_err db_quick_button_create(struct kefu_db *db, int64_t tenant_id, const struct quick_button *b, int64_t *id);
kefu_err db_quick_button_update(struct kefu_db *db, int64_t tenant_id, const struct quick_button *b);
/* KEFU_E_NOT_FOUND when there is none. */
kefu_err db_quick_button_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);
kefu_err db_quick_button_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id,
                             struct quick_button *out);
/* The tenant's buttons by id; *rows in a. */
kefu_err db_quick_button_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct quick_button **rows,
                              size_t *n);

#endif
