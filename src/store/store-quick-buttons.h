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

/* The admin resource's table (store-rows.h); its list is by id. */
extern const struct row_table db_quick_buttons;

#endif
