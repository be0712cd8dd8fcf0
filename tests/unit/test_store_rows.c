/* test_store_rows: the column-spec row reader on hand-built results (no database needed). */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "store/store-rows.h"
#include "check-main.h"

struct row {
	int64_t id;
	const char *name;
	bool on;
	int64_t count; /* only some queries select it */
};

static const struct col cols[] = {
    COL(struct row, id, COL_I64),  COL(struct row, name, COL_STR),  COL_NONE,
    COL(struct row, on, COL_BOOL), COL(struct row, count, COL_I64),
};
static const struct row_spec spec = ROW_SPEC(struct row, cols);

/* Two rows of four columns (no count): the third is skipped, NULLs read 0 / NULL. */
static char *cells[] = {"7", "seven", "x", "1", NULL, NULL, "y", "0"};
static size_t lens[8];
static const struct db_result two = {.nrows = 2, .ncols = 4, .cells = cells, .lens = lens};

START_TEST(reads_every_row_by_spec)
{
	kefu_arena *a = arena_new();
	struct row *rows;
	size_t n;
	ck_assert_int_eq(rows_all(&two, a, &spec, (void **)&rows, &n), KEFU_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(rows[0].id, 7);
	ck_assert_str_eq(rows[0].name, "seven");
	ck_assert(rows[0].on);
	ck_assert_int_eq(rows[0].count, 0); /* past the result's last column */
	ck_assert_int_eq(rows[1].id, 0);
	ck_assert_ptr_null(rows[1].name);
	ck_assert(!rows[1].on);
	ck_assert_int_eq(rows[2].id, 0); /* the zeroed spare row */
	arena_free(a);
}
END_TEST

START_TEST(one_row_or_not_found)
{
	struct row r = {.id = 99, .name = "stale"};
	ck_assert_int_eq(rows_one(&two, &spec, &r), KEFU_OK);
	ck_assert_int_eq(r.id, 7);
	const struct db_result none = {.ncols = 4};
	ck_assert_int_eq(rows_one(&none, &spec, &r), KEFU_E_NOT_FOUND);
	kefu_arena *a = arena_new();
	int64_t *ids;
	size_t n;
	ck_assert_int_eq(rows_ids(&two, a, &ids, &n), KEFU_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ids[0], 7);
	ck_assert_int_eq(ids[1], 0);
	ck_assert_int_eq(rows_ids_at(&two, a, 3, &ids, &n), KEFU_OK); /* the fourth column, "on" */
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ids[0], 1);
	ck_assert_int_eq(ids[1], 0);
	arena_free(a);
}
END_TEST

/* ROWS: the spec by the fields alone, each column's type from its field's;
 * ROWS_SQL: the same names as the SELECT list. */
#define ROW_FIELDS id, name, on, count
static const struct row_spec by_fields = ROWS(struct row, ROW_FIELDS);

START_TEST(rows_by_fields)
{
	const struct col *want[] = {&cols[0], &cols[1], &cols[3], &cols[4]};
	ck_assert_uint_eq(by_fields.size, sizeof(struct row));
	ck_assert_uint_eq(by_fields.ncols, 4);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_uint_eq(by_fields.cols[i].offset, want[i]->offset);
		ck_assert_int_eq(by_fields.cols[i].type, want[i]->type);
	}
	ck_assert_str_eq(ROWS_SQL(ROW_FIELDS), "id, name, on, count");
	ck_assert_str_eq("SELECT " ROWS_SQL(ROW_FIELDS) " FROM t", "SELECT id, name, on, count FROM t");
}
END_TEST

/* A double reads from its text (an AVG), NULL as 0. */
struct avg_row {
	int64_t key;
	double average;
};

static const struct row_spec avg_spec = ROWS(struct avg_row, key, average);

START_TEST(doubles)
{
	static char *stat_cells[] = {"3", "4.50", NULL, NULL};
	static size_t stat_lens[4];
	const struct db_result stats = {.nrows = 2, .ncols = 2, .cells = stat_cells, .lens = stat_lens};
	kefu_arena *a = arena_new();
	struct avg_row *rows;
	size_t n;
	ck_assert_int_eq(rows_all(&stats, a, &avg_spec, (void **)&rows, &n), KEFU_OK);
	ck_assert_int_eq(rows[0].key, 3);
	ck_assert(rows[0].average == 4.5);
	ck_assert(rows[1].average == 0);
	arena_free(a);
}
END_TEST

int main(void)
{
	return check_run(
	    check_suite("store_rows", "store_rows",
	                CHECK_TESTS(reads_every_row_by_spec, one_row_or_not_found, rows_by_fields, doubles)));
}
