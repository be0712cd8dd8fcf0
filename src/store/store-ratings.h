/* store-ratings: SQL for satisfaction ratings and the ratings report. */
#ifndef KEFU_STORE_RATINGS_H
#define KEFU_STORE_RATINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct rating_row {
	int64_t conversation_id, agent_user_id, score;
	const char *comment, *created_at;
};

/* KEFU_E_CONFLICT when the conversation is rated already (primary key). */
kefu_err db_rating_create(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t agent_user_id,
                          int score, const char *comment);
kefu_err db_rating_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                       struct rating_row *out);

/* One line of the report: per agent (key = agent id, label = name) or per
 * day (label = YYYY-MM-DD in UTC). */
struct rating_stat {
	int64_t key;
	const char *label;
	int64_t count;
	double average;
};
/* Ratings created in [from, to) (DATETIME text, NULL: open), grouped. */
kefu_err db_rating_by_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                            struct rating_stat **rows, size_t *n);
kefu_err db_rating_by_day(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                          struct rating_stat **rows, size_t *n);

/* A rating with a comment, for the satisfaction report's list. */
struct rating_comment {
	int64_t conversation_id, score;
	const char *comment, *created_at, *agent_name; /* agent_name NULL: none */
};
/* The newest limit comments on conversations started in [from, to) (DATETIME
 * text, UTC); channel_id, group_id, agent_id filter when their has_* is set
 * (an id of 0: none, as the reports' filters). */
struct rating_filter {
	bool has_channel, has_group, has_agent;
	int64_t channel_id, group_id, agent_id;
};
kefu_err db_rating_comments(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                            const struct rating_filter *flt, int limit, struct rating_comment **rows, size_t *n);

#endif
